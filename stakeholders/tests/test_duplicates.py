"""A new stakeholder whose name is like another's in the same country is caught on every create path
(`Stakeholder.possible_duplicates`): the staff form lists the look-alikes and asks for a confirmation,
the API answers 400 naming them unless `confirm_not_duplicate` is sent, the import refuses the same name."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def cerrejon(world):
    return Stakeholder.objects.create(country=world.co, name="Cerrejón", sector="extractive_energy", level="national")


def test_similar_names_in_the_same_country_are_possible_duplicates(world, cerrejon):
    def alike(name, country=None):
        return Stakeholder(name=name, country=country or world.co).possible_duplicates()

    assert alike("Cerrejon") == [cerrejon]
    assert alike("CERREJÓN Limited") == [cerrejon]
    assert alike("Fundacion Energia Wayu") == [world.co_org]
    assert alike("Cerrejon", world.pe) == []  # another country
    assert alike("Alcaldía de Riohacha") == []  # another mayor's office
    assert cerrejon.possible_duplicates() == []  # not its own duplicate


def form_data(world, name, **extra):
    return {
        "name": name,
        "kind": "organisation",
        "sector": "private",
        "level": "national",
        "country": world.co.pk,
        **extra,
    }


def test_the_create_page_lists_possible_duplicates_and_asks_before_saving(staff_client, world, cerrejon):
    url = reverse("stakeholders:stakeholder_create")
    response = staff_client.post(url, form_data(world, "Cerrejon"))
    assert response.status_code == 400
    assert response.context["form"].possible_duplicates == [cerrejon]
    page = response.content.decode()
    assert "Possible duplicates" in page
    assert f'href="{cerrejon.get_absolute_url()}"' in page
    assert 'type="checkbox" name="confirm_not_duplicate"' in page
    assert Stakeholder.objects.filter(search_name="cerrejon").count() == 1

    response = staff_client.post(url, form_data(world, "Cerrejon", confirm_not_duplicate="on"))
    assert response.status_code == 302
    assert Stakeholder.objects.filter(search_name="cerrejon").count() == 2


def test_a_name_without_look_alikes_saves_without_asking(staff_client, world, cerrejon):
    response = staff_client.post(reverse("stakeholders:stakeholder_create"), form_data(world, "Gecelca"))
    assert response.status_code == 302
    page = staff_client.get(reverse("stakeholders:stakeholder_create")).content.decode()
    assert 'type="checkbox" name="confirm_not_duplicate"' not in page


def test_editing_a_stakeholder_does_not_ask_about_duplicates(staff_client, world, cerrejon):
    twin = Stakeholder.objects.create(country=world.co, name="Cerrejon S.A.", sector="private", level="national")
    url = reverse("stakeholders:stakeholder_edit", kwargs={"pk": twin.pk})
    response = staff_client.post(url, form_data(world, "Cerrejon SA"))
    assert response.status_code == 302


def test_the_api_refuses_a_likely_duplicate_naming_it_unless_confirmed(world, cerrejon):
    client = APIClient()
    client.force_authenticate(world.staff_co)
    body = {"name": "Cerrejon", "sector": "private", "level": "national", "country": world.co.pk}
    response = client.post("/api/v1/stakeholders/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Cerrejón" in errors["name"][0]
    assert errors["possible_duplicates"] == [str(cerrejon.pk)]
    assert Stakeholder.objects.filter(search_name="cerrejon").count() == 1

    response = client.post("/api/v1/stakeholders/", {**body, "confirm_not_duplicate": True}, format="json")
    assert response.status_code == 201, response.content
    assert "confirm_not_duplicate" not in response.json()
    assert Stakeholder.objects.filter(search_name="cerrejon").count() == 2


def test_the_api_documents_the_override(world):
    client = APIClient()
    client.force_authenticate(world.staff_co)
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "confirm_not_duplicate" in schema.content.decode()


def test_the_import_refuses_the_same_name_with_or_without_accents(world, cerrejon):
    report = stakeholders_import_csv(file="name,sector,level,country\nCERREJON,private,national,CO\n")
    assert not report.ok
    assert "already exists" in str(report.errors[0])
