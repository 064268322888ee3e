"""The stakeholder import on files as staff hold them (stakeholders/tests/import_files), each with
its expected outcome: a Spanish CRM export saved by Excel, a workbook, a name typed on a Mac."""

import unicodedata
from pathlib import Path

import pytest

from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "import_files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_a_spanish_crm_export_in_windows_1252_with_semicolons(world):
    result = stakeholders_import_csv(file=read("crm_export_es_cp1252.csv"))
    assert result.ok, result.errors
    assert result.created == 4
    wayuu = Stakeholder.objects.get(acronym="AATW")
    assert (wayuu.kind, wayuu.sector, wayuu.level, wayuu.country.code) == (
        "organisation",
        "indigenous",
        "local",
        "CO",
    )
    assert [region.code for region in wayuu.regions.all()] == ["CO-LAG"]
    assert wayuu.description == "Autoridades tradicionales de la Alta Guajira"
    red = Stakeholder.objects.get(name="Red de Veedurías del Cesar")
    assert red.kind == "informal_group"
    assert sorted(region.code for region in red.regions.all()) == ["CO-CES", "CO-LAG"]


def test_a_workbook_with_country_and_region_names(world):
    result = stakeholders_import_csv(file=read("stakeholders_peru.xlsx"))
    assert result.ok, result.errors
    ilo = Stakeholder.objects.get(acronym="MPI")
    assert (ilo.sector, ilo.country.code) == ("subnational_government", "PE")
    assert [region.code for region in ilo.regions.all()] == ["PE-MOQ"]


def test_a_name_with_decomposed_accents_is_stored_composed_and_is_the_same_name(world):
    result = stakeholders_import_csv(file=read("decomposed_name.csv"))
    assert result.ok, result.errors
    stored = Stakeholder.objects.get(name="Fundación Sol Wayuu")
    assert stored.name == "Fundación Sol Wayuu" and unicodedata.is_normalized("NFC", stored.name)
    again = stakeholders_import_csv(file=read("decomposed_name.csv"))
    assert [(error.line, error.message) for error in again.errors] == [
        (2, "a stakeholder with this name already exists in Colombia")
    ]


def test_an_unknown_choice_names_the_valid_values_in_either_language(world):
    text = "nombre,sector,nivel,país\nConcejo de Manaure,Gobierno municipal,Local,Colombia\n"
    result = stakeholders_import_csv(file=text.encode())
    assert [error.line for error in result.errors] == [2]
    assert "'Gobierno municipal' (one of national_government, subnational_government" in result.errors[0].message
