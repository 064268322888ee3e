"""On a Spanish page no country is named in English: names come from pycountry's ISO 3166 translations.

The database keeps the English ISO name; `display_name` (and `str()`) reads it in the active
language, and the explorers' country lists are offered in that language.
"""

import re

import pycountry
import pytest
from django.conf import settings
from django.utils import translation

from core.tests.filtersets import parameterless_pages
from countries.models import Country, Region
from countries.names import country_choices, country_name

pytestmark = pytest.mark.django_db


def english_only_names() -> list[str]:
    """The English names of the countries whose Spanish name differs (Philippines → Filipinas)."""
    with translation.override("es"):
        return [country.name for country in pycountry.countries if country_name(country.name) != country.name]


def english_names_on(html: str, names: list[str]) -> list[str]:
    return [name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", html)]


@pytest.fixture
def philippines(world):
    country, _created = Country.objects.get_or_create(code="PH", defaults={"name": "Philippines"})
    country.status = Country.Status.ACTIVE
    country.save()
    return country


@pytest.fixture
def spanish_admin(client, world, philippines):
    client.force_login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_a_country_and_a_region_read_in_the_active_language(philippines):
    peru = Country.objects.get(code="PE")
    with translation.override("es"):
        assert (str(philippines), philippines.display_name, peru.display_name) == ("Filipinas", "Filipinas", "Perú")
    with translation.override("en"):
        assert (str(philippines), peru.display_name) == ("Philippines", "Peru")
    assert philippines.name == "Philippines"  # the database keeps the ISO name


def test_a_name_pycountry_does_not_know_shows_as_typed(world):
    region = Region.objects.create(country=world.co, name="Alta Guajira (zona norte)")
    with translation.override("es"):
        assert region.display_name == "Alta Guajira (zona norte)"


def test_the_country_choices_are_in_spanish_and_sorted_in_spanish():
    with translation.override("es"):
        choices = dict(country_choices())
        names = [name for _code, name in country_choices()]
    assert (choices["PH"], choices["DE"], choices["ES"]) == ("Filipinas", "Alemania", "España")
    assert names.index("Alemania") < names.index("Bélgica") < names.index("Zimbabue")


@pytest.mark.parametrize(
    "url",
    [
        "/countries/",
        "/countries/ph/",
        "/work/ph/",
        "/network/join/",
        "/outreach/campaigns/new/",
        "/stakeholders/",
    ],
)
def test_the_pages_that_name_countries_name_them_in_spanish(spanish_admin, url):
    response = spanish_admin.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "Filipinas" in html or "Perú" in html
    assert english_names_on(html, english_only_names()) == []


def test_no_page_without_parameters_names_a_country_in_english(spanish_admin):
    names = english_only_names()
    assert "Philippines" in names and "Colombia" not in names
    left = {}
    for url in parameterless_pages():
        response = spanish_admin.get(url)
        html = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
        if html and (found := english_names_on(response.content.decode(), names)):
            left[url] = found
    assert left == {}
