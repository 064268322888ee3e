"""A stakeholder's municipality: picked among those of its regions, filtered by, imported by code or
name and exported as its official code."""

import csv
import html
import io
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from countries.models import Municipality, Region
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def picker_search(client, page: str, country, query: str) -> str:
    """What the municipality picker of a form page offers for a search, as the browser asks for it
    (with the country field the picker follows)."""
    markup = client.get(page).content.decode()
    url = html.unescape(re.search(r'hx-get="(/pickers/countries\.municipality/[^"]*)"', markup).group(1))
    response = client.get(f"{url}&{urlencode({'municipality_q': query, 'country': country.pk})}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_picker_offers_only_the_municipalities_of_the_stakeholders_regions(staff_client, world):
    world.co_mayor.regions.set([world.guajira])
    page = reverse("stakeholders:stakeholder_edit", kwargs={"pk": world.co_mayor.pk})
    assert "Uribia" in picker_search(staff_client, page, world.co, "uribia")
    assert "Valledupar" not in picker_search(staff_client, page, world.co, "valledupar")
    world.co_mayor.regions.set([])
    assert "Valledupar" in picker_search(staff_client, page, world.co, "valledupar")  # the country's


def test_the_form_saves_a_municipality_of_its_regions_and_refuses_another(staff_client, world):
    world.co_mayor.regions.set([world.guajira])
    page = reverse("stakeholders:stakeholder_edit", kwargs={"pk": world.co_mayor.pk})
    form = staff_client.get(page).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data["regions"] = [world.guajira.pk]
    data["municipality"] = place("44847").pk
    assert staff_client.post(page, data).status_code == 302
    assert Stakeholder.objects.get(pk=world.co_mayor.pk).municipality.code == "44847"
    data["municipality"] = place("20001").pk
    response = staff_client.post(page, data)
    assert response.context["form"].errors["municipality"] == ["Valledupar is not in La Guajira."]


def test_the_detail_page_names_the_municipality_and_its_code(staff_client, world):
    Stakeholder.objects.filter(pk=world.co_mayor.pk).update(municipality=place("44847"))
    page = staff_client.get(reverse("stakeholders:stakeholder_detail", kwargs={"pk": world.co_mayor.pk}))
    assert "Uribia (44847)" in page.content.decode()


def test_the_directory_and_the_api_filter_by_municipality(staff_client, staff_api, world):
    Stakeholder.objects.filter(pk=world.co_mayor.pk).update(municipality=place("44847"))
    listed = staff_client.get(reverse("stakeholders:stakeholder_list"), {"municipality": place("44847").pk})
    assert [row.pk for row in listed.context["stakeholders"]] == [world.co_mayor.pk]
    rows = staff_api.get("/api/v1/stakeholders/", {"municipality": place("44847").pk}).json()["results"]
    assert [(row["id"], row["municipality"]) for row in rows] == [(world.co_mayor.pk, place("44847").pk)]


def test_a_partner_filter_by_municipality_lists_only_what_they_may_see(partner_api, world):
    outsider = Stakeholder.objects.create(
        name="Junta de Ilo", sector="community", level="local", country=world.pe, municipality=place("180301")
    )
    rows = partner_api.get("/api/v1/stakeholders/", {"municipality": place("180301").pk}).json()["results"]
    assert outsider.pk not in [row["id"] for row in rows]


def test_the_import_reads_the_municipality_by_code_or_name_and_the_export_writes_its_code(staff_client, world):
    text = (
        "name,sector,level,country,regions,municipality\n"
        "Alcaldía de Maicao,subnational_government,local,CO,CO-LAG,MAICAO\n"
        "Cabildo de Medellín,community,local,CO,,5001\n"
    )
    report = stakeholders_import_csv(file=text, user=world.staff_co)
    assert not report.errors
    assert Stakeholder.objects.get(name="Alcaldía de Maicao").municipality.code == "44430"
    assert Stakeholder.objects.get(name="Cabildo de Medellín").municipality.code == "05001"
    exported = staff_client.get(reverse("stakeholders:stakeholder_export"), {"q": "Maicao"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    column = rows[0].index("Municipality")
    assert rows[1][column] == "44430"


def test_the_import_refuses_a_municipality_outside_the_rows_regions(world):
    text = "name,sector,level,country,regions,municipality\nVeeduría,community,local,CO,CO-CES,Uribia\n"
    report = stakeholders_import_csv(file=text, user=world.staff_co)
    assert [error.message for error in report.errors] == ["Uribia is not in Cesar."]
    assert not Stakeholder.objects.filter(name="Veeduría").exists()


def test_a_philippine_municipality_lies_in_a_stakeholders_region_through_its_province(world):
    ph = Region.objects.get(code="PH-15").country
    row = Stakeholder(name="Itogon Tribal Council", sector="indigenous", level="local", country=ph)
    row.municipality = place("1401106000")
    row._m2m_values = {"regions": [Region.objects.get(code="PH-15")]}
    row.full_clean()
