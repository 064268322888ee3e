"""Spanish is complete in this app's catalogues, and the charts survive Spanish number formatting."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["planning", "results"])
def test_spanish_catalogue_is_complete(app):
    catalogue = polib.pofile(str(ROOT / app / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_resources_page_in_spanish_keeps_svg_numbers_valid(other_staff_client, resources, plan_indicator):
    response = other_staff_client.get(
        reverse("planning:region_resources", kwargs={"code": "pe-moq"}), HTTP_ACCEPT_LANGUAGE="es"
    )
    html = response.content.decode()
    assert "Transferencias por año y fuente" in html
    assert "Canon minero" in html
    # A decimal comma inside an SVG attribute would break the chart.
    for value in re.findall(r'<rect class="chart-bar[^>]*>', html):
        assert not re.search(r'="\d+,\d', value), value
