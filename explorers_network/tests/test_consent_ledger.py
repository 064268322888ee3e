import json

import pytest
from django.core import mail

from explorers_network.models import ConsentEvent, ContactRequest, Explorer
from explorers_network.services import explorer_join
from outbox.models import Delivery, Suppression, email_hash

pytestmark = pytest.mark.django_db


def test_consent_events_are_insert_only(make_explorer):
    event = make_explorer().consent_events.first()
    event.source = "staff"
    with pytest.raises(ValueError, match="insert-only"):
        event.save()


@pytest.mark.parametrize(
    ("actions", "status"),
    [
        (["grant"], "pending"),
        (["grant", "confirm"], "active"),
        (["grant", "confirm", "withdraw"], "unsubscribed"),
        (["grant", "confirm", "withdraw", "grant"], "pending"),
        (["grant", "confirm", "withdraw", "grant", "confirm"], "active"),
    ],
)
def test_status_derives_from_the_ledger(actions, status):
    assert ConsentEvent.status_after(actions) == status


def test_rejoining_after_unsubscribing_needs_a_new_confirmation(make_explorer, django_capture_on_commit_callbacks):
    explorer = make_explorer(status="unsubscribed")
    with django_capture_on_commit_callbacks(execute=True):
        explorer_join(name="Eva", email=explorer.email, country="CO")
    explorer.refresh_from_db()
    assert explorer.status == Explorer.Status.PENDING
    assert list(explorer.consent_events.values_list("action", flat=True)) == ["grant", "confirm", "withdraw", "grant"]


def test_staff_can_export_an_explorers_data(staff_client, make_explorer):
    explorer = make_explorer()
    response = staff_client.post(f"/personal-data/explorer/{explorer.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)["data"]
    assert data["explorers_network.Explorer"]["rows"][0]["email"] == explorer.email
    assert [event["action"] for event in data["explorers_network.ConsentEvent"]["rows"]] == ["grant", "confirm"]
    assert data["outbox.Delivery"]["rows"][0]["kind"] == "confirmation"


@pytest.mark.parametrize(("fixture", "status"), [("client", 302), ("partner_client", 403)])
def test_only_staff_can_export_or_erase(request, make_explorer, fixture, status, world):
    explorer = make_explorer()
    client = request.getfixturevalue(fixture)
    assert client.post(f"/personal-data/explorer/{explorer.pk}/export/").status_code == status
    assert client.post(f"/personal-data/explorer/{explorer.pk}/erase/").status_code == status
    assert Explorer.objects.filter(pk=explorer.pk).exists()


def test_erasure_removes_personal_data_everywhere_and_keeps_only_a_hashed_suppression(
    staff_client, make_explorer, django_capture_on_commit_callbacks
):
    explorer = make_explorer("eva@example.org")
    ContactRequest.objects.create(name="Eva", email="eva@example.org", country="CO", message="Hi", ip_hash="x")
    assert Delivery.objects.filter(recipient="eva@example.org").exists()
    response = staff_client.post(f"/personal-data/explorer/{explorer.pk}/erase/")
    assert response.status_code == 302
    assert not Explorer.objects.exists()
    assert not ConsentEvent.objects.exists()
    assert not Delivery.objects.filter(recipient__icontains="eva").exists()
    assert not ContactRequest.objects.exists()
    assert list(Suppression.objects.values_list("address_hash", "reason")) == [
        (email_hash("eva@example.org"), "erased")
    ]


def test_an_erased_address_gets_no_outreach_until_it_joins_and_confirms_again(make_explorer, staff_client):
    from explorers_network.services import explorer_confirm

    explorer = make_explorer("eva@example.org")
    staff_client.post(f"/personal-data/explorer/{explorer.pk}/erase/")
    mail.outbox.clear()
    explorer = make_explorer("eva@example.org", status="pending")
    assert Suppression.objects.filter(reason="erased").exists()
    explorer_confirm(explorer=explorer)
    assert not Suppression.objects.exists()
