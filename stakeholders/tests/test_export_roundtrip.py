"""The directory's export imports back: unchanged it changes nothing, corrected it updates the rows by id."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.models import ObjectChange
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

FORMATS = [({}, "csv"), ({"sep": ";"}, "csv"), ({"format": "xlsx"}, "xlsx")]


def _snapshot():
    return [
        (
            s.pk,
            s.name,
            s.acronym,
            s.kind,
            s.sector,
            s.level,
            s.country_id,
            s.website,
            s.description,
            s.organisation_id,
            sorted(s.regions.values_list("pk", flat=True)),
        )
        for s in Stakeholder.objects.order_by("pk")
    ]


def _export(client, language: str, **params) -> bytes:
    response = client.get("/stakeholders/export.csv", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content


@pytest.fixture
def rich(world):
    person = Stakeholder.objects.create(
        country=world.co,
        name="=Ana Gómez",
        kind="person",
        sector="media",
        level="local",
        acronym="AG",
        website="https://ana.example.org",
        description="Periodista; radio\nlocal",
        organisation=world.co_org,
    )
    person.regions.add(world.guajira)
    return person


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("params", "kind"), FORMATS)
def test_an_export_imports_back_unchanged(staff_client, world, rich, language, params, kind):
    before, history = _snapshot(), ObjectChange.objects.count()
    content = _export(staff_client, language, country=world.co.pk, **params)
    if kind == "csv":
        assert content.startswith("\ufeff".encode())
        assert (";" in content.decode("utf-8-sig").splitlines()[0]) == (params.get("sep") == ";")
    with translation.override(language):
        report = stakeholders_import_csv(file=content, user=world.staff_co)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert _snapshot() == before
    assert ObjectChange.objects.count() == history


def test_the_export_has_the_import_columns_in_spanish(staff_client, world, rich):
    content = _export(staff_client, "es", country=world.co.pk).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:4] == ["Id", "Nombre", "Sigla", "Tipo"]
    assert rows[0][-5:] == ["Regiones donde actúa", "Municipio", "Organización", "Sitio web", "Descripción"]
    row = next(row for row in rows if row[0] == str(rich.pk))
    assert row[1] == "'=Ana Gómez"  # the formula guard, taken off again by the import
    assert "Persona" in row and "CO" in row and "CO-LAG" in row and "Fundación Energía Wayuu" in row
    assert "Periodista; radio\nlocal" in row


def test_a_corrected_export_updates_the_rows_by_id(staff_client, world, rich):
    book = load_workbook(io.BytesIO(_export(staff_client, "es", country=world.co.pk, format="xlsx")))
    sheet = book.active
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == rich.pk:
            cells[1].value = "Ana Gómez Ruiz"
            cells[7].value = ""  # no regions any more
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("es"):
        report = stakeholders_import_csv(file=buffer.getvalue(), user=world.staff_co)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    rich.refresh_from_db()
    assert rich.name == "Ana Gómez Ruiz"
    assert not rich.regions.exists()
    assert Stakeholder.objects.filter(country=world.co).count() == 3


def test_an_id_the_user_may_not_edit_is_a_row_error(staff_client, world):
    content = _export(staff_client, "en", country=world.pe.pk)
    report = stakeholders_import_csv(file=content, user=world.staff_co)
    assert not report.ok
    assert {error.line for error in report.errors} == {2, 3}
    assert all("may edit" in error.message for error in report.errors)
    unknown = stakeholders_import_csv(
        file="id,name,sector,level,country\n999999,X,media,local,CO\n", user=world.staff_co
    )
    assert "999999" in unknown.errors[0].message


def test_an_organisation_in_another_country_and_a_person_as_organisation(staff_client, world, rich):
    rich.organisation = world.pe_org  # the export writes its name; the name is in one country only
    rich.save()
    before = _snapshot()
    content = _export(staff_client, "en", country=world.co.pk)
    report = stakeholders_import_csv(file=content, user=world.staff_co)
    assert report.ok, report.errors
    assert report.unchanged == 3
    assert _snapshot() == before
    # A person named as the organisation is refused, as the model's clean() refuses it.
    Stakeholder.objects.create(country=world.co, name="Juan Pérez", kind="person", sector="media", level="local")
    text = content.decode("utf-8-sig").replace("Asociación Moquegua Transparente", "Juan Pérez")
    report = stakeholders_import_csv(file=text, user=world.staff_co)
    assert [error.message for error in report.errors] == [
        "The organisation must be an organisation, not a person or an informal group."
    ]
    rich.refresh_from_db()
    assert rich.organisation == world.pe_org
