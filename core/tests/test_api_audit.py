"""Every write through the API is recorded: who, what, how and when."""

from django.contrib.contenttypes.models import ContentType
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from coalitions.models import Commitment, Engagement


def test_create_change_and_delete_are_audited(staff_api, world):
    response = staff_api.post(
        "/api/v1/engagements/",
        {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-03", "kind": "call", "title": "Llamada"},
        format="json",
    )
    pk = response.json()["id"]
    staff_api.patch(f"/api/v1/engagements/{pk}/", {"summary": "Done"}, format="json")
    staff_api.delete(f"/api/v1/engagements/{pk}/")
    events = AuditEvent.objects.filter(object_id=str(pk), content_type=ContentType.objects.get_for_model(Engagement))
    assert [(e.action, e.user, e.object_repr) for e in events.order_by("pk")] == [
        ("create", world.staff_co, "Llamada (2026-02-03)"),
        ("update", world.staff_co, "Llamada (2026-02-03)"),
        ("delete", world.staff_co, "Llamada (2026-02-03)"),
    ]
    assert events.get(action="update").fields == ["summary"]


def test_token_writes_record_the_token_key_and_address(world):
    token_row, token = AuthToken.objects.create(user=world.partner_co, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "done"}, format="json")
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.token_key) == (world.partner_co, "update", token_row.token_key)
    assert event.ip_address == "127.0.0.1"
    assert event.object_id == str(world.co_commitment.pk)


def test_refused_and_invalid_writes_leave_no_audit_event(partner_api, other_partner_api, world):
    other_partner_api.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "done"}, format="json")
    partner_api.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "finished"}, format="json")
    partner_api.post("/api/v1/coalitions/", {"name": "x"}, format="json")
    assert not AuditEvent.objects.exists()
    assert Commitment.objects.get(pk=world.co_commitment.pk).status == "planned"


def test_reads_are_not_audited(staff_api, world):
    staff_api.get("/api/v1/coalitions/")
    staff_api.get(f"/api/v1/coalitions/{world.co_coalition.pk}/")
    assert not AuditEvent.objects.exists()
