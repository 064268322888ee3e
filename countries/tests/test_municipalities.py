"""Every install has the municipalities of the official lists, with their true codes, and reads them
through the API like the regions: filtered by country and region, found by name without accents."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from countries.models import Municipality, Region
from countries.municipalities import read_list

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "country,count",
    [("CO", 1121), ("PE", 196 + 1893), ("PH", 1643)],
)
def test_the_migration_loads_each_official_list_whole(country, count):
    assert Municipality.objects.filter(country__code=country).count() == count == len(read_list(country))


@pytest.mark.parametrize(
    "country,code,name,region",
    [
        ("CO", "44847", "Uribia", "CO-LAG"),
        ("CO", "44001", "Riohacha", "CO-LAG"),
        ("CO", "44430", "Maicao", "CO-LAG"),
        ("CO", "20001", "Valledupar", "CO-CES"),
        ("CO", "11001", "Bogotá", "CO-DC"),
        ("PE", "180301", "Ilo", "PE-MOQ"),
        ("PE", "180101", "Moquegua", "PE-MOQ"),
        ("PE", "1801", "Mariscal Nieto", "PE-MOQ"),
        ("PE", "150101", "Lima", "PE-LMA"),
        ("PH", "1401106000", "Itogon", "PH-BEN"),
        ("PH", "1430300000", "City of Baguio", "PH-15"),
        ("PH", "1380600000", "City of Manila", "PH-00"),
    ],
)
def test_named_places_have_their_true_codes(country, code, name, region):
    row = Municipality.objects.select_related("region").get(country__code=country, code=code)
    assert (row.name, row.region.code) == (name, region)


def test_loading_again_creates_nothing_and_puts_back_a_changed_name():
    Municipality.objects.filter(country__code="CO", code="44847").update(name="Uribía mal escrito")
    call_command("load_municipalities", stdout=io.StringIO())
    assert Municipality.objects.get(country__code="CO", code="44847").name == "Uribia"
    assert Municipality.objects.filter(country__code="CO").count() == 1121


def test_a_philippine_municipality_lies_in_its_province_and_the_provinces_region():
    itogon = Municipality.objects.get(country__code="PH", code="1401106000")
    assert itogon.lies_in(Region.objects.get(code="PH-BEN"))
    assert itogon.lies_in(Region.objects.get(code="PH-15"))
    assert not itogon.lies_in(Region.objects.get(code="PH-01"))


def test_peruvian_provinces_and_districts_say_which_they_are():
    assert str(Municipality.objects.get(country__code="PE", code="1801")) == "Mariscal Nieto (province)"
    assert str(Municipality.objects.get(country__code="PE", code="180101")) == "Moquegua (district)"


def test_the_api_lists_a_regions_municipalities_found_without_accents(world, django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(world.partner_co)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/municipalities/", {"region": world.guajira.pk, "q": "RIOHACHA"})
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["44001"]
    response = client.get("/api/v1/municipalities/", {"country": world.pe.pk, "q": "ilo", "kind": "district"})
    assert "180301" in [row["code"] for row in response.json()["results"]]
    assert {row["region_brief"]["code"] for row in response.json()["results"]} == {"PE-MOQ"}


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_the_lists(world):
    assert Municipality.objects.exists()  # then the flush at its end empties the table


def test_the_next_test_has_the_municipalities_back():
    """conftest's `pytest_runtest_teardown` loads them again after a transactional test (this runs next)."""
    assert Municipality.objects.filter(country__code="CO").count() == 1121
