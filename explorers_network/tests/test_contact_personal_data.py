"""A contact request's sender may ask for their data: the request, its notes and replies, the mails
and notifications about it are exported, and erased with their history."""

import pytest
from django.test import Client

from core.models import ActionRecord
from core.testing import database_dump, traces_in
from explorers_network.models import ContactRequest, ContactRequestNote

pytestmark = pytest.mark.django_db

NAME = "Nadia Tan"
EMAIL = "nadia.tan@example.org"
MESSAGE = "Please call me at +63 917 555 0101 about mining revenue in Benguet"
NOTE = "Nadia Tan prefers a call on Tuesdays"
REPLY = "Dear Nadia Tan, we will call you on Tuesday"
PERSONAL = [NAME, EMAIL, MESSAGE, NOTE, REPLY]


@pytest.fixture
def nadia(world, staff_client, django_capture_on_commit_callbacks) -> ContactRequest:
    """Nadia writes from the public form (acknowledged, staff notified); staff note, reply and assign."""
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/contact/",
            {"name": NAME, "country": "CO", "email": EMAIL, "message": MESSAGE, "website": ""},
            REMOTE_ADDR="198.51.100.7",
        )
        request = ContactRequest.objects.get()
        base = f"/outreach/contact-requests/{request.pk}/"
        staff_client.post(f"{base}notes/new/", {"body": NOTE})
        staff_client.post(f"{base}reply/", {"reply_draft": REPLY})
        staff_client.post(f"{base}reply/send/")
        staff_client.post(f"{base}edit/", {"status": "closed", "owner": world.staff_co.pk})
    assert traces_in(database_dump(), PERSONAL) == PERSONAL
    return request


def test_the_sender_is_found_and_exported_with_the_notes_and_replies(staff_client, nadia):
    found = staff_client.get("/personal-data/", {"q": "nadia.tan"}).content.decode()
    assert f"/personal-data/sender/{nadia.pk}/export/" in found
    response = staff_client.post(f"/personal-data/sender/{nadia.pk}/export/")
    assert response.status_code == 200
    data = response.json()["data"]
    assert [row["message"] for row in data["explorers_network.ContactRequest"]["rows"]] == [MESSAGE]
    notes = data["explorers_network.ContactRequestNote"]["rows"]
    assert sorted((row["kind"], row["body"]) for row in notes) == [("note", NOTE), ("reply", REPLY)]
    kinds = {row["kind"] for row in data["outbox.Delivery"]["rows"]}
    assert {"contact_ack", "contact_reply"} <= kinds


def test_erasing_the_sender_leaves_nothing_of_them_anywhere(staff_client, nadia, django_capture_on_commit_callbacks):
    page = staff_client.get(f"/outreach/contact-requests/{nadia.pk}/").content.decode()
    assert f"/personal-data/sender/{nadia.pk}/erase/" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(f"/personal-data/sender/{nadia.pk}/erase/").status_code == 302
    assert not ContactRequest.objects.exists()
    assert not ContactRequestNote.objects.exists()
    assert traces_in(database_dump(), PERSONAL) == []
    record = ActionRecord.objects.get(action=ActionRecord.Action.ERASE)
    assert record.summary["explorers_network.ContactRequestNote"] == 2


def test_another_countrys_staff_may_not_erase_a_sender(other_staff_client, nadia):
    assert other_staff_client.post(f"/personal-data/sender/{nadia.pk}/erase/").status_code == 404
    assert ContactRequest.objects.filter(pk=nadia.pk).exists()
