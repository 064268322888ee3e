"""Erasing a stakeholder's contact person leaves none of their data in any table, whichever path
removes them: the page, the API, the admin, or the deletion of their stakeholder."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ActionRecord
from core.testing import database_dump, traces_in
from explorers_network.models import ContactRequest
from stakeholders.models import Contact

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Ana Pérez", "ana@example.org"
PHONE, NEW_PHONE = "+57 300", "+57 311 555 0101"
POSITION = "Secretaria de Planeación"
MESSAGE = f"Escríbanme o llámenme al {NEW_PHONE} sobre la coalición"
PERSONAL = [NAME, EMAIL, NEW_PHONE, POSITION, MESSAGE]


@pytest.fixture
def ana(world, staff_client, django_capture_on_commit_callbacks):
    """Ana, a contact of Uribia's mayor's office: edited on the page and through the API, and the
    author of a contact request (staff are notified)."""
    contact = world.co_contact
    response = staff_client.post(
        f"/contacts/{contact.pk}/edit/",
        {"name": NAME, "email": EMAIL, "phone": NEW_PHONE, "preferred_language": "es"},
    )
    assert response.status_code == 302
    api = APIClient()
    api.force_authenticate(world.staff_co)
    assert api.patch(f"/api/v1/contacts/{contact.pk}/", {"position": POSITION}, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/contact/", {"name": NAME, "country": "CO", "email": EMAIL, "message": MESSAGE, "website": ""})
    assert ContactRequest.objects.filter(email=EMAIL).exists()
    assert traces_in(database_dump(), [*PERSONAL, PHONE]) == [*PERSONAL, PHONE]
    contact.refresh_from_db()
    return contact


def erase_on_the_page(world, contact):
    client = Client()
    client.force_login(world.staff_co)
    assert client.post(f"/personal-data/contact/{contact.pk}/erase/").status_code == 302


def erase_through_the_api(world, contact):
    api = APIClient()
    api.force_authenticate(world.staff_co)
    assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204


def erase_in_the_admin(world, contact):
    client = Client()
    client.force_login(world.admin)
    url = reverse("admin:stakeholders_contact_delete", args=[contact.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


def delete_the_stakeholder(world, contact):
    client = Client()
    client.force_login(world.admin)
    # The mayor's office's memberships, assessments and commitments go with it (their history stays).
    url = reverse("admin:stakeholders_stakeholder_delete", args=[contact.stakeholder_id])
    assert client.post(url, {"post": "yes"}).status_code == 302


@pytest.mark.parametrize("path", [erase_on_the_page, erase_through_the_api, erase_in_the_admin, delete_the_stakeholder])
def test_after_erasing_a_contact_person_no_table_holds_their_data(ana, world, path):
    path(world, ana)
    assert not Contact.objects.filter(pk=ana.pk).exists()
    assert traces_in(database_dump(), [*PERSONAL, PHONE]) == []
    record = ActionRecord.objects.get(action="erase")
    assert (record.model, record.object_pk) == ("stakeholders.Contact", str(ana.pk))
    assert record.summary["explorers_network.ContactRequest"] == 1


def test_the_export_of_a_contact_person(ana, staff_client):
    import json

    response = staff_client.post(f"/personal-data/contact/{ana.pk}/export/")
    data = json.loads(response.content)["data"]
    assert data["stakeholders.Contact"]["rows"][0]["phone"] == NEW_PHONE
    assert data["explorers_network.ContactRequest"]["rows"][0]["message"] == MESSAGE
    assert ActionRecord.objects.get().action == "export"
