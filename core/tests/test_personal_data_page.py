"""The staff page for data-subject requests: find the person, export or erase, and the log of requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import ActionRecord
from explorers_network.models import Explorer
from stakeholders.models import Contact

pytestmark = pytest.mark.django_db
URL = "/personal-data/"


def test_staff_find_explorers_and_contact_persons_by_name_or_address(staff_client, world):
    colombian = Explorer.objects.create(name="Ana Quispe", email="ana.q@example.org", country="CO")
    peruvian = Explorer.objects.create(name="Ana Flores", email="flores@example.org", country="PE")
    response = staff_client.get(URL, {"q": "ana"})
    assert response.status_code == 200
    content = response.content.decode()
    found = {result["kind"].name: [row["record"] for row in result["rows"]] for result in response.context["results"]}
    assert set(found["explorer"]) == {colombian, peruvian}
    assert found["contact"] == [world.co_contact]  # "Ana Pérez", ana@example.org
    # Only rows of the user's own countries can be exported or erased from here.
    assert f"/personal-data/explorer/{colombian.pk}/erase/" in content
    assert f"/personal-data/explorer/{peruvian.pk}/erase/" not in content
    assert f"/personal-data/contact/{world.co_contact.pk}/export/" in content
    assert "Another country team" in content


def test_the_search_costs_the_same_whatever_it_finds(staff_client, world):
    Explorer.objects.create(name="Rosa One", email="rosa1@example.org", country="CO")
    Contact.objects.create(stakeholder=world.co_org, name="Rosa Two", email="rosa2@example.org")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL, {"q": "rosa"}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        Explorer.objects.create(name=f"Rosa {n}", email=f"rosa-more{n}@example.org", country="PE")
        Contact.objects.create(stakeholder=world.co_org, name=f"Rosa {n}", email=f"rosa-c{n}@example.org")
        ActionRecord.objects.create(action="export", actor=world.staff_co, model="stakeholders.Contact", object_pk="1")
    assert queries() == few


def test_the_log_shows_who_did_what_without_the_data(staff_client, world):
    explorer = Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="CO")
    staff_client.post(f"/personal-data/explorer/{explorer.pk}/export/")
    staff_client.post(f"/personal-data/explorer/{explorer.pk}/erase/")
    content = staff_client.get(URL).content.decode()
    assert "Erased personal data" in content and "Exported personal data" in content
    assert f"#{explorer.pk}" in content
    assert "Eva Quispe" not in content and "eva@example.org" not in content


def test_the_page_is_in_spanish_for_spanish_readers(staff_client):
    response = staff_client.get(URL, headers={"accept-language": "es"})
    assert "Solicitudes de datos personales" in response.content.decode()


def test_partners_and_visitors_do_not_get_the_page(partner_client, client, db):
    assert partner_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_the_explorer_and_stakeholder_pages_link_to_the_personal_data_pages(staff_client, world):
    explorer = Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="CO")
    page = staff_client.get(f"/outreach/explorers/{explorer.pk}/").content.decode()
    assert f"/personal-data/explorer/{explorer.pk}/erase/" in page
    assert f"/personal-data/explorer/{explorer.pk}/export/" in page
    page = staff_client.get(world.co_mayor.get_absolute_url()).content.decode()
    assert f"/personal-data/contact/{world.co_contact.pk}/erase/" in page
    assert f"/personal-data/contact/{world.co_contact.pk}/export/" in page
