"""Initiative, coalition and country texts in English and Spanish: each page shows the one of its
language, or the other one marked as such when only that exists; forms and the API edit both."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from coalitions.models import Coalition, Initiative
from core.bilingual import text_in_language
from countries.models import Country

pytestmark = pytest.mark.django_db

ENGLISH_NOTE = "Only available in English"


def page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def spanish(world):
    Initiative.objects.filter(pk=world.co_initiative.pk).update(shared_objective_es="Comunidades de energía")
    Coalition.objects.filter(pk=world.co_coalition.pk).update(shared_goal_es="Energía solar para Uribia")
    return world


def test_a_spanish_page_shows_the_spanish_text(staff_client, spanish):
    html = page(staff_client, spanish.co_coalition.get_absolute_url(), "es")
    assert "Energía solar para Uribia" in html and "Solar for Uribia" not in html
    html = page(staff_client, spanish.co_initiative.get_absolute_url(), "es")
    assert "Comunidades de energía" in html and "Energy communities" not in html
    assert "Solo disponible" not in html


def test_an_english_page_shows_the_english_text(staff_client, spanish):
    html = page(staff_client, spanish.co_coalition.get_absolute_url(), "en")
    assert "Solar for Uribia" in html and "Energía solar para Uribia" not in html
    assert ENGLISH_NOTE not in html


def test_without_spanish_the_english_text_is_shown_marked_as_english(staff_client, world):
    html = page(staff_client, world.co_coalition.get_absolute_url(), "es")
    assert '<p class="prose" lang="en">Solar for Uribia</p>' in html
    assert "Solo disponible en inglés" in html


def test_without_english_the_spanish_text_is_shown_marked_as_spanish(staff_client, world):
    Country.objects.filter(pk=world.co.pk).update(summary="", summary_es="Trabajamos en La Guajira y Cesar.")
    html = page(staff_client, world.co.get_absolute_url(), "en")
    assert '<p lang="es">Trabajamos en La Guajira y Cesar.</p>' in html
    assert "Only available in Spanish" in html


def test_the_public_country_page_speaks_the_visitors_language(client, spanish):
    for row in (spanish.co_initiative, spanish.co_coalition):
        type(row).objects.filter(pk=row.pk).update(is_public=True)
    html = page(client, "/work/co/", "es")
    assert "Energía solar para Uribia" in html and "Comunidades de energía" in html
    Coalition.objects.filter(pk=spanish.co_coalition.pk).update(shared_goal_es="")
    html = page(client, "/work/co/", "es")
    assert '<p lang="en">Solar for Uribia</p>' in html and "Solo disponible en inglés" in html


def test_the_staff_form_edits_both_languages(staff_client, world):
    url = reverse("coalitions:coalition_update", kwargs={"pk": world.co_coalition.pk})
    form = page(staff_client, url, "es")
    assert 'name="shared_goal_es"' in form and 'name="shared_goal"' in form
    data = {
        "name": world.co_coalition.name,
        "initiative": world.co_initiative.pk,
        "level": "local",
        "status": "forming",
        "shared_goal": "Solar for Uribia and Manaure",
        "shared_goal_es": "Energía solar para Uribia y Manaure",
        "regions": [world.guajira.pk],
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    world.co_coalition.refresh_from_db()
    assert (world.co_coalition.shared_goal, world.co_coalition.shared_goal_es) == (
        "Solar for Uribia and Manaure",
        "Energía solar para Uribia y Manaure",
    )


def test_the_api_reads_and_writes_both_languages(world):
    api = APIClient()
    api.force_authenticate(world.staff_co)
    url = f"/api/v1/initiatives/{world.co_initiative.pk}/"
    response = api.patch(url, {"shared_objective_es": "Comunidades energéticas autogestionadas"}, format="json")
    assert response.status_code == 200, response.json()
    body = api.get(url).json()
    assert body["shared_objective"] == "Energy communities"
    assert body["shared_objective_es"] == "Comunidades energéticas autogestionadas"
    body = api.get(f"/api/v1/coalitions/{world.co_coalition.pk}/").json()
    assert {"shared_goal", "shared_goal_es"} <= set(body)


def test_the_text_falls_back_to_the_other_language_and_says_so(world):
    country = Country(summary="In English", summary_es="")
    assert text_in_language(country, "summary", "es").language == "en"
    assert text_in_language(country, "summary", "es").is_fallback
    assert not text_in_language(country, "summary", "en").is_fallback
    assert text_in_language(Country(), "summary", "es").text == ""
