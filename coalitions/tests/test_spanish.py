"""The coalitions pages in Spanish, and a catalogue with nothing left untranslated."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import page_and_panels

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "coalitions/locale/es/LC_MESSAGES/django.po"


def test_the_coalitions_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def in_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_coalition_page_in_spanish(staff_client, world):
    content = page_and_panels(in_spanish(staff_client), world.co_coalition)
    assert "Plan de acción" in content
    assert "Miembros activos" in content
    assert "Taller de co-creación" in content  # a model choice, from this catalogue


def test_stakeholder_map_in_spanish(staff_client, world):
    content = in_spanish(staff_client).get(world.co_initiative.get_absolute_url()).content.decode()
    assert "Mapa de actores" in content
    # The map itself is a panel the page loads after its first paint.
    map_panel = reverse("coalitions:initiative_map", kwargs={"pk": world.co_initiative.pk})
    content = in_spanish(staff_client).get(map_panel).content.decode()
    assert "Mapa de actores" in content
    assert "Poder para impulsar o bloquear el cambio" in content


def test_form_errors_in_spanish(staff_client, world):
    url = reverse("coalitions:membership_create", kwargs={"pk": world.co_coalition.pk})
    response = in_spanish(staff_client).post(
        url, {"stakeholder": world.co_org.pk, "role": "member", "joined_on": "2026-01-01"}
    )
    assert "Este actor ya es miembro de esta coalición." in response.content.decode()
