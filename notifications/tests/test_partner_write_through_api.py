"""A partner writing through the API tells the coalition's country team; staff writes do not."""

import pytest

from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def engagement_body(world) -> dict:
    return {
        "coalition": world.co_coalition.pk,
        "occurred_on": "2026-03-02",
        "kind": "workshop",
        "title": "Taller en Manaure",
        "participants": [world.co_org.pk],
    }


def test_a_partner_engagement_notifies_the_countrys_staff_only(world, partner_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_api.post("/api/v1/engagements/", engagement_body(world), format="json")
    assert response.status_code == 201, response.content
    notified = Notification.objects.filter(kind=Kind.PARTNER_WRITE)
    assert list(notified.values_list("user__username", flat=True)) == ["staff-co"]
    assert "Taller en Manaure" in notified.get().title_text


def test_a_partner_updating_its_commitment_notifies_the_team(world, partner_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_api.patch(
            f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "done"}, format="json"
        )
    assert response.status_code == 200, response.content
    assert Notification.objects.filter(kind=Kind.PARTNER_WRITE, user=world.staff_co).count() == 1


def test_a_staff_write_notifies_nobody(world, staff_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post("/api/v1/engagements/", engagement_body(world), format="json")
    assert response.status_code == 201, response.content
    assert not Notification.objects.filter(kind=Kind.PARTNER_WRITE).exists()


def test_a_refused_partner_write_notifies_nobody(world, partner_api, django_capture_on_commit_callbacks):
    body = {**engagement_body(world), "coalition": world.pe_coalition.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_api.post("/api/v1/engagements/", body, format="json")
    assert response.status_code == 400
    assert not Notification.objects.exists()
