"""Consent changes only through the ledger: no API or admin write, and no write to the status column,
reaches an unconfirmed, withdrawn or re-addressed explorer with a campaign."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from explorers_network.models import Campaign, ConsentEvent, Explorer
from explorers_network.services import campaign_send, explorer_change_email
from outbox.models import Delivery, Suppression, email_hash

pytestmark = pytest.mark.django_db

CONSENT_FIELDS = {
    "status": "active",
    "confirmed_at": "2026-01-01T10:00:00Z",
    "consent_text_version": "2026-11",
    "consent_given_at": "2026-01-01T10:00:00Z",
    "consent_source": "join_form",
}


@pytest.fixture
def people(make_explorer):
    """One of each: confirmed, never confirmed, withdrawn, and one staff added who never consented."""
    return {
        "confirmed": make_explorer("confirmed@example.org"),
        "pending": make_explorer("pending@example.org", status="pending"),
        "withdrawn": make_explorer("withdrawn@example.org", status="unsubscribed"),
        "never_consented": Explorer.objects.create(name="Nadie", email="never@example.org", country="CO"),
    }


def send(campaign: Campaign, django_capture_on_commit_callbacks) -> set[str]:
    """Send the campaign now, as the page does, and return the addresses it mailed."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(campaign=campaign)
    written = set(Delivery.objects.filter(campaign_id=campaign.pk).values_list("recipient", flat=True))
    mailed = {message.to[0] for message in mail.outbox if message.subject == campaign.subject}
    assert mailed <= written
    return written


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(subject="News", body="Hello", language="en", audience_countries=["CO"])


def admin_post_data(client: Client, explorer: Explorer, **changes) -> dict:
    from core.tests.test_invalid_writes import post_data

    page = client.get(reverse("admin:explorers_network_explorer_change", args=[explorer.pk]))
    return post_data(page.context["adminform"].form, changes)


def test_the_api_cannot_write_status_or_consent(world, people, campaign, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(world.staff_co)
    for name in ("pending", "withdrawn", "never_consented"):
        response = api.patch(f"/api/v1/explorers/{people[name].pk}/", CONSENT_FIELDS, format="json")
        assert response.status_code == 200, response.content
        people[name].refresh_from_db()
        assert people[name].status != "active"
    assert send(campaign, django_capture_on_commit_callbacks) == {"confirmed@example.org"}


def test_the_api_creates_an_explorer_that_is_not_mailed(world, campaign, people, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(world.staff_co)
    data = {"name": "Nuevo", "email": "new@example.org", "country": "CO", "preferred_language": "en", **CONSENT_FIELDS}
    response = api.post("/api/v1/explorers/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert send(campaign, django_capture_on_commit_callbacks) == {"confirmed@example.org"}


def test_the_admin_cannot_write_status_or_consent(world, people, campaign, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(world.admin)
    for name in ("pending", "withdrawn", "never_consented"):
        explorer = people[name]
        url = reverse("admin:explorers_network_explorer_change", args=[explorer.pk])
        data = admin_post_data(client, explorer)
        data.update({"status": "active", "confirmed_at_0": "2026-01-01", "confirmed_at_1": "10:00:00"})
        assert client.post(url, data).status_code == 302
        explorer.refresh_from_db()
        assert explorer.status != "active"
    assert send(campaign, django_capture_on_commit_callbacks) == {"confirmed@example.org"}


def test_a_status_column_written_past_the_services_does_not_reach_anyone(
    people, campaign, django_capture_on_commit_callbacks
):
    # Any other path (a shell, a bulk update, a migration): the sender reads the ledger.
    Explorer.objects.update(status="active", confirmed_at="2026-01-01T10:00:00Z")
    assert send(campaign, django_capture_on_commit_callbacks) == {"confirmed@example.org"}


def test_a_suppressed_address_is_skipped_when_the_campaign_starts(people, campaign, django_capture_on_commit_callbacks):
    Suppression.objects.create(address_hash=email_hash("CONFIRMED@example.org"), reason="bounced")
    assert send(campaign, django_capture_on_commit_callbacks) == set()


@pytest.mark.parametrize("path", ["api", "admin"])
def test_a_new_address_is_confirmed_again_before_any_campaign(
    world, people, campaign, path, django_capture_on_commit_callbacks
):
    explorer = people["confirmed"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if path == "api":
            api = APIClient()
            api.force_authenticate(world.staff_co)
            response = api.patch(f"/api/v1/explorers/{explorer.pk}/", {"email": "moved@example.org"}, format="json")
            assert response.status_code == 200, response.content
            assert response.json()["status"] == "pending"
        else:
            client = Client()
            client.force_login(world.admin)
            url = reverse("admin:explorers_network_explorer_change", args=[explorer.pk])
            assert client.post(url, admin_post_data(client, explorer, email="moved@example.org")).status_code == 302
    explorer.refresh_from_db()
    assert (explorer.email, explorer.status) == ("moved@example.org", "pending")
    assert list(explorer.consent_events.values_list("action", flat=True)) == ["grant", "confirm", "email"]
    assert [m.to for m in mail.outbox] == [["moved@example.org"]]
    assert "/network/confirm/" in mail.outbox[0].body
    assert send(campaign, django_capture_on_commit_callbacks) == set()


def test_confirming_the_new_address_brings_the_campaigns_back(people, campaign, django_capture_on_commit_callbacks):
    from explorers_network.services import explorer_confirm

    explorer = people["confirmed"]
    explorer_change_email(explorer=explorer, email="moved@example.org")
    explorer_confirm(explorer=explorer)
    assert send(campaign, django_capture_on_commit_callbacks) == {"moved@example.org"}


def test_a_withdrawn_explorer_given_a_new_address_stays_withdrawn(people, django_capture_on_commit_callbacks):
    explorer = people["withdrawn"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        explorer_change_email(explorer=explorer, email="elsewhere@example.org")
    explorer.refresh_from_db()
    assert explorer.status == "unsubscribed"
    assert mail.outbox == []


def test_the_ledger_status_of_an_address_change(make_explorer):
    assert ConsentEvent.status_after(["grant", "confirm", "email"]) == "pending"
    assert ConsentEvent.status_after(["grant", "confirm", "email", "confirm"]) == "active"
    assert ConsentEvent.status_after(["grant", "confirm", "withdraw", "email"]) == "unsubscribed"


def test_the_ledger_audience_matches_the_status_the_services_keep(people):
    """The SQL reading of the ledger says what `status_after` says, for every explorer the services made."""
    consenting = set(Explorer.objects.consenting().values_list("email", flat=True))
    by_status = {
        explorer.email
        for explorer in Explorer.objects.prefetch_related("consent_events")
        if ConsentEvent.status_after([event.action for event in explorer.consent_events.all()]) == "active"
        and explorer.consent_events.filter(action="grant").exists()
    }
    assert consenting == by_status == {"confirmed@example.org"}


def test_staff_cannot_send_a_campaign_to_another_countrys_audience(
    staff_client, other_staff_client, partner_client, people, django_capture_on_commit_callbacks
):
    everywhere = Campaign.objects.create(subject="All", body="Hello", language="en")
    peru = Campaign.objects.create(subject="Peru", body="Hello", language="en", audience_countries=["PE"])
    both = Campaign.objects.create(subject="Both", body="Hello", language="en", audience_countries=["CO", "PE"])
    for campaign in (everywhere, peru, both):
        url = f"/outreach/campaigns/{campaign.pk}/send/"
        assert url not in staff_client.get(campaign.get_absolute_url()).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert staff_client.get(url).status_code == 404
            assert staff_client.post(url).status_code == 404
            assert partner_client.post(url).status_code == 403  # the staff gate
        campaign.refresh_from_db()
        assert campaign.state == Campaign.State.DRAFT
    assert not Delivery.objects.filter(kind="outreach").exists()
    assert f"/outreach/campaigns/{peru.pk}/send/" in other_staff_client.get(peru.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert other_staff_client.post(f"/outreach/campaigns/{peru.pk}/send/").status_code == 302
    peru.refresh_from_db()
    assert peru.state != Campaign.State.DRAFT


def test_campaign_mails_queued_for_the_old_address_are_cancelled(people, campaign):
    explorer = people["confirmed"]
    queued = Delivery.objects.create(
        recipient="confirmed@example.org", kind="outreach", campaign_id=campaign.pk, subject="News", body_text="Hi"
    )
    explorer_change_email(explorer=explorer, email="moved@example.org")
    queued.refresh_from_db()
    assert queued.state == Delivery.State.CANCELLED
