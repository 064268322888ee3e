"""Erasing an explorer leaves none of their data in any table: not in the contact requests they sent,
the notifications and mails about those, the mails they got, nor the history of any of it."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from core.models import ActionRecord, ObjectChange
from core.testing import database_dump, traces_in
from explorers_network.models import Campaign, ContactRequest, Explorer
from explorers_network.services import campaign_send, explorer_confirm
from notifications.models import Notification
from outbox.models import Delivery, Suppression, email_hash

pytestmark = pytest.mark.django_db

NAME, NEW_NAME = "Eva Quispe", "Eva Quispe Mamani"
EMAIL = "eva.quispe@example.org"
PHONE = "+51 999 111 222"
MESSAGE = f"Please call me at {PHONE} about the learning exchange in Moquegua"
ROLE = "Regidora de Ilo"
PERSONAL = [NAME, NEW_NAME, EMAIL, PHONE, MESSAGE, ROLE, "Quispe"]


@pytest.fixture
def eva(world, django_capture_on_commit_callbacks):
    """Eva joins and confirms from the public pages, gets a campaign, writes through the contact form
    (staff are notified in the app and by mail), and staff change her profile through the API."""
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    public = Client()
    with django_capture_on_commit_callbacks(execute=True):
        public.post(
            "/network/join/",
            {"name": NAME, "email": EMAIL, "country": "CO", "preferred_language": "en", "consent": "on"},
            REMOTE_ADDR="198.51.100.7",
        )
    explorer = Explorer.objects.get(email=EMAIL)
    explorer_confirm(explorer=explorer)
    campaign = Campaign.objects.create(subject="News", body="Hello", language="en", audience_countries=["CO"])
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(campaign=campaign)
        public.post(
            "/contact/",
            {"name": NAME, "country": "CO", "email": EMAIL.upper(), "message": MESSAGE, "website": ""},
            REMOTE_ADDR="198.51.100.7",
        )
    api = APIClient()
    api.force_authenticate(world.staff_co)
    response = api.patch(f"/api/v1/explorers/{explorer.pk}/", {"name": NEW_NAME, "role": ROLE}, format="json")
    assert response.status_code == 200, response.content
    # Everything the test then looks for is really there first.
    assert Delivery.objects.filter(recipient=EMAIL, kind="outreach").exists()
    assert Notification.objects.filter(kind="contact_request", body__contains=PHONE).exists()
    assert Delivery.objects.filter(kind="notification", recipient="staff-co@example.org").exists()
    assert ContactRequest.objects.filter(message=MESSAGE).exists()
    assert ObjectChange.objects.filter(object_repr=NEW_NAME).exists()
    assert traces_in(database_dump(), PERSONAL) == PERSONAL
    explorer.refresh_from_db()
    return explorer


def test_after_erasing_an_explorer_no_table_holds_their_data(eva, staff_client):
    mail.outbox.clear()
    response = staff_client.post(f"/personal-data/explorer/{eva.pk}/erase/")
    assert response.status_code == 302
    assert traces_in(database_dump(), PERSONAL) == []
    assert "198.51.100.7" not in database_dump()
    assert not Explorer.objects.exists()
    assert not Notification.objects.filter(kind="contact_request").exists()
    # What stays: that the rows existed and were changed (scrubbed), and a hash that stops mail.
    assert ObjectChange.objects.filter(object_repr="[erased]").exists()
    assert Suppression.objects.filter(address_hash=email_hash(EMAIL), reason="erased").exists()


def test_the_erasure_is_logged_without_the_data(eva, world, staff_client):
    staff_client.post(f"/personal-data/explorer/{eva.pk}/erase/")
    record = ActionRecord.objects.get(action="erase")
    assert (record.action, record.actor, record.model, record.object_pk) == (
        "erase",
        world.staff_co,
        "explorers_network.Explorer",
        str(eva.pk),
    )
    assert record.summary["explorers_network.Explorer"] == 1
    assert record.summary["explorers_network.ContactRequest"] == 1
    assert record.summary["notifications.Notification"] == 1
    # confirmation, campaign, the receipt of her message, the staff's notification mail
    assert record.summary["outbox.Delivery"] == 4
    assert record.summary["core.ObjectChange"] > 0


def test_the_api_delete_of_an_explorer_is_the_same_erasure(eva, world):
    api = APIClient()
    api.force_authenticate(world.staff_co)
    assert api.delete(f"/api/v1/explorers/{eva.pk}/").status_code == 204
    assert traces_in(database_dump(), PERSONAL) == []
    assert ActionRecord.objects.filter(action="erase").count() == 1


def test_the_admin_delete_of_an_explorer_is_the_same_erasure(eva, admin_client):
    from django.urls import reverse

    url = reverse("admin:explorers_network_explorer_delete", args=[eva.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert traces_in(database_dump(), PERSONAL) == []
    assert ActionRecord.objects.filter(action="erase").count() == 1


def test_the_export_holds_every_copy(eva, staff_client):
    import json

    response = staff_client.post(f"/personal-data/explorer/{eva.pk}/export/")
    data = json.loads(response.content)["data"]
    assert data["explorers_network.Explorer"]["rows"][0]["name"] == NEW_NAME
    assert data["explorers_network.ContactRequest"]["rows"][0]["message"] == MESSAGE
    assert PHONE in data["notifications.Notification"]["rows"][0]["body"]
    assert {row["kind"] for row in data["outbox.Delivery"]["rows"]} == {
        "confirmation",
        "outreach",
        "contact_ack",
        "notification",
    }
    assert data["core.ObjectChange"]["rows"]
    record = ActionRecord.objects.get(action="export")
    assert record.object_pk == str(eva.pk)
    assert traces_in(json.dumps(record.summary), PERSONAL) == []
