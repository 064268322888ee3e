"""The import pipeline on files as the portals and spreadsheets produce them (planning/tests/import_files),
each with its expected outcome; the yearly/monthly rule; the dry run's list of changes; idempotence."""

import unicodedata
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from planning.importers import resources_import
from planning.models import BudgetExecution, ResourceFlow

FILES = Path(__file__).parent / "import_files"
FLOWS_HEADER = "region_code,fiscal_year,month,source,amount,currency,is_sample,note\n"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_mef_transfers_in_windows_1252_with_semicolons_and_decimal_commas(world):
    report = resources_import(kind="flows", file=read("mef_transfers_moquegua_2024.csv"), dry_run=False)
    assert report.ok, report.errors
    assert (report.encoding, report.separator, report.decimal_mark) == ("Windows-1252", ";", ",")
    assert report.created == 12
    flows = ResourceFlow.objects.order_by("month")
    assert [flow.month for flow in flows] == list(range(1, 13))  # "Setiembre" is September
    first = flows.first()
    assert (first.region.code, first.source, first.currency) == ("PE-MOQ", "mining_canon", "PEN")
    assert first.amount == Decimal("54812345.67")
    assert first.note == "Transferencia según R.D. N° 0012-2024-EF/50.01"
    again = resources_import(kind="flows", file=read("mef_transfers_moquegua_2024.csv"), dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)


def test_royalties_workbook_with_dane_codes_defaults_to_pesos(world):
    report = resources_import(kind="flows", file=read("royalties_la_guajira.xlsx"), dry_run=False)
    assert report.ok, report.errors
    assert report.encoding == "XLSX" and report.created == 4
    flows = ResourceFlow.objects.filter(region__code="CO-LAG")
    assert set(flows.values_list("currency", flat=True)) == {"COP"}
    assert flows.get(month=1).amount == Decimal("1250000000.50")
    assert flows.get(month__isnull=True, fiscal_year=2023).amount == Decimal("3400000000")
    again = resources_import(kind="flows", file=read("royalties_la_guajira.xlsx"), dry_run=False)
    assert again.unchanged == 4 and not again.created and not again.updated


def test_decomposed_accents_and_spanish_headers_and_labels(world):
    report = resources_import(kind="execution", file=read("execution_decomposed_accents.tsv"), dry_run=False)
    assert report.ok, report.errors
    assert report.separator == "\t"
    row = BudgetExecution.objects.get()
    assert row.region.code == "PE-ANC" and row.funding_source == "mining_royalties"
    assert row.project_name == "Mejoramiento de la educación inicial en Huaráz"
    assert unicodedata.is_normalized("NFC", row.project_name)
    assert (row.allocated, row.executed) == (Decimal("1500000.00"), Decimal("1125000.50"))


#: flows_one_mistake_per_row.csv: the line and words of its one problem.
EXPECTED_PROBLEMS = {
    2: "scientific notation",
    3: "NaN",
    4: "infinite",
    5: "The month must be between 1 and 12.",
    6: "between 1990 and 2100",
    7: "not a known region",
    8: "mining_canon, mining_royalties, other_transfers",
    9: "The amount cannot be negative.",
    10: "more than two decimals",
    11: "the limit is 3",
    12: "neither yes nor no",
    13: "the limit is 250",
    14: "not a month",
    15: "CO-AMA, PE-AMA",
}


def test_every_problem_of_every_row_is_reported_at_once(world):
    report = resources_import(kind="flows", file=read("flows_one_mistake_per_row.csv"), dry_run=False)
    assert {error.line: error.message for error in report.errors}.keys() == EXPECTED_PROBLEMS.keys()
    for error in report.errors:
        assert EXPECTED_PROBLEMS[error.line] in error.message, error
    assert not ResourceFlow.objects.exists()


def test_an_ambiguous_region_name_is_read_in_the_users_countries(world):
    text = FLOWS_HEADER + "Amazonas,2022,,mining_canon,100,,,\n"
    report = resources_import(kind="flows", file=text, dry_run=False, allowed_country_ids=frozenset({world.pe.pk}))
    assert report.ok, report.errors
    assert ResourceFlow.objects.get().region.code == "PE-AMA"


def test_every_header_problem_is_reported_with_the_accepted_columns(world):
    report = resources_import(kind="flows", file="region,colour,region,fiscal_year\nPE-MOQ,red,x,2024\n", dry_run=False)
    messages = [error.message for error in report.errors]
    assert [error.line for error in report.errors] == [1, 1, 1]
    assert "source, amount" in messages[0]
    assert "colour" in messages[1] and "region_code, municipality, fiscal_year, month" in messages[1]
    assert "region" in messages[2]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("región".encode("utf-16-le") + b"\x00\x00\xff", "looks like"),
        (b"just one column\nand another line\n", "no column separator"),
        (b"", "empty"),
    ],
)
def test_a_file_that_cannot_be_read_says_what_was_found(world, content, words):
    report = resources_import(kind="flows", file=content, dry_run=False)
    assert report.errors[0].line == 1 and words in report.errors[0].message


def test_a_yearly_total_and_monthly_rows_in_one_file_are_a_conflict(world):
    text = FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,1010000000,,,\nPE-MOQ,2024,3,mining_canon,660000000,,,\n"
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert [error.line for error in report.errors] == [2, 3]
    assert "either as one total or as months" in report.errors[0].message
    assert not ResourceFlow.objects.exists()


def test_monthly_rows_beside_a_yearly_total_in_the_database_are_a_conflict(world):
    assert resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,,,\n", dry_run=False).ok
    report = resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,May,mining_canon,5,,,\n", dry_run=False)
    assert report.errors[0].line == 2 and "yearly total" in report.errors[0].message
    # Another source, or another year, is no conflict.
    assert resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,5,mining_royalties,5,,,\n", dry_run=False).ok


def test_the_conflict_is_the_models_rule_on_every_path(world):
    ResourceFlow.objects.create(region=world.moquegua, fiscal_year=2024, source="mining_canon", amount=1)
    flow = ResourceFlow(region=world.moquegua, fiscal_year=2024, month=2, source="mining_canon", amount=1)
    with pytest.raises(Exception, match="yearly total"):
        flow.full_clean()


def test_dry_run_lists_new_changed_and_unchanged_rows_and_writes_nothing(world):
    resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,1,mining_canon,100,,,\n", dry_run=False)
    text = FLOWS_HEADER + (
        "PE-MOQ,2024,1,mining_canon,150,,,\n"  # changed
        "PE-MOQ,2024,2,mining_canon,100,,,\n"  # new
    )
    resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,3,mining_canon,7,,,\n", dry_run=False)
    text += "PE-MOQ,2024,3,mining_canon,7,,,\n"  # unchanged
    report = resources_import(kind="flows", file=text, dry_run=True)
    assert [(change.line, change.action) for change in report.changes] == [(2, "changed"), (3, "new"), (4, "unchanged")]
    assert report.changes[0].fields == [("amount", Decimal("100.00"), Decimal("150.00"))]
    assert ResourceFlow.objects.count() == 2
    assert ResourceFlow.objects.get(month=1).amount == 100


def test_a_row_with_an_id_updates_that_row(world):
    resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,1,mining_canon,100,,,\n", dry_run=False)
    flow = ResourceFlow.objects.get()
    text = "id," + FLOWS_HEADER + f"{flow.pk},PE-MOQ,2024,2,mining_canon,100,,,\n"
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert (report.created, report.updated) == (0, 1)
    flow.refresh_from_db()
    assert flow.month == 2
    report = resources_import(
        kind="flows", file="id," + FLOWS_HEADER + "999999,PE-MOQ,2024,2,mining_canon,1,,,\n", dry_run=False
    )
    assert "no resource flow with id 999999" in report.errors[0].message


def test_one_bad_row_writes_nothing_in_a_file_of_good_ones(world):
    text = FLOWS_HEADER + "PE-MOQ,2024,1,mining_canon,100,,,\n" * 1 + "PE-MOQ,2024,2,mining_canon,NaN,,,\n"
    assert not resources_import(kind="flows", file=text, dry_run=False).ok
    assert not ResourceFlow.objects.exists()


def test_messages_are_in_spanish(world):
    with translation.override("es"):
        report = resources_import(kind="flows", file=read("flows_one_mistake_per_row.csv"), dry_run=True)
    assert "notación científica" in report.errors[0].message


def test_command_reads_the_same_files_and_lists_a_dry_run(world, tmp_path):
    path = tmp_path / "mef.csv"
    path.write_bytes(read("mef_transfers_moquegua_2024.csv"))
    out = StringIO()
    call_command("import_data", "flows", str(path), "--dry-run", stdout=out)
    assert "line 2: new" in out.getvalue() and "12 new" in out.getvalue()
    assert not ResourceFlow.objects.exists()
    path.write_bytes(read("flows_one_mistake_per_row.csv"))
    err = StringIO()
    with pytest.raises(CommandError, match="14 bad rows; nothing was imported"):
        call_command("import_data", "flows", str(path), stderr=err)


def test_the_staff_page_imports_stakeholders_through_the_same_pipeline(other_staff_client, world):
    from imports.testing import import_through_page
    from stakeholders.models import Stakeholder

    content = "Nombre;Sector;Nivel;País\nMesa Técnica de Ilo;Organización de la sociedad civil;Local;Perú\n"
    dry, _ = import_through_page(
        other_staff_client, kind="stakeholders", content=content.encode("cp1252"), dry_run_only=True
    )
    assert dry.context["report"].ok and dry.context["report"].created == 1
    assert not Stakeholder.objects.filter(name="Mesa Técnica de Ilo").exists()
    _, done = import_through_page(other_staff_client, kind="stakeholders", content=content.encode("cp1252"))
    assert done.context["report"].ok
    assert Stakeholder.objects.get(name="Mesa Técnica de Ilo").country.code == "PE"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("query", [{}, {"sep": ";"}, {"format": "xlsx"}])
def test_an_export_imports_back_unchanged(other_staff_client, world, plans, language, query):
    from django.urls import reverse

    for kind, name in (("flows", "mef_transfers_moquegua_2024.csv"), ("execution", "execution_decomposed_accents.tsv")):
        assert resources_import(kind=kind, file=read(name), dry_run=False).ok
    text = "region_code,fiscal_year,project_code,project_name,funding_source,allocated,executed,plan_objective\n"
    text += "PE-MOQ,2024,P9,=Agua,mining_canon,10.5,3,OER2\n"
    assert resources_import(kind="execution", file=text, dry_run=False).ok
    for kind, model in (("flows", ResourceFlow), ("execution", BudgetExecution)):
        before = list(model.objects.order_by("pk").values())
        response = other_staff_client.get(
            reverse("planning:resources_export", kwargs={"kind": kind}), query, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        content = response.content
        if "format" not in query:
            assert content.startswith("\ufeff".encode())
        report = resources_import(kind=kind, file=content, dry_run=False)
        assert report.ok, report.errors
        assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
        assert list(model.objects.order_by("pk").values()) == before


#: The portals' own layouts, read through their built-in profiles: (kind, file, profile, rows, figures).
PORTAL_FILES = [
    (
        "flows",
        "mef_transferencias_moquegua_2026.csv",  # Windows-1252, ";", per district: a row per district
        "pe-mef-transferencias",
        7,
        {
            ("PE-MOQ", 2026, 1, "mining_canon"): Decimal("46580246.00"),
            ("PE-MOQ", 2026, 2, "mining_royalties"): Decimal("2000000.00"),
        },
    ),
    (
        "flows",
        "sgr_asignaciones_2025.csv",  # UTF-8, ",", DANE codes of Colombia, per municipality and concept
        "co-sgr-datos-abiertos",
        4,
        {
            ("CO-LAG", 2025, None, "mining_royalties"): Decimal("4250000000.50"),
            ("CO-CES", 2025, None, "mining_royalties"): Decimal("300000000.25"),
        },
    ),
]


@pytest.mark.parametrize(("kind", "name", "profile", "rows", "expected"), PORTAL_FILES)
def test_portal_exports_import_through_their_profile_with_the_command_and_again_change_nothing(
    world, tmp_path, kind, name, profile, rows, expected
):
    out = StringIO()
    call_command("import_data", kind, str(FILES / name), "--profile", profile, stdout=out)
    assert f"{rows} new" in out.getvalue()
    found = {}  # the department's figure: its own and its municipalities' transfers
    for flow in ResourceFlow.objects.select_related("region"):
        key = (flow.region.code, flow.fiscal_year, flow.month, flow.source)
        found[key] = found.get(key, 0) + flow.amount
    assert {key: found.get(key) for key in expected} == expected
    again = StringIO()
    call_command("import_data", kind, str(FILES / name), "--profile", profile, stdout=again)
    assert f"0 new, 0 changed, {rows} unchanged" in again.getvalue()


def test_a_transfer_file_per_district_is_recorded_per_district(world):
    call_command(
        "import_data",
        "flows",
        str(FILES / "mef_transferencias_moquegua_2026.csv"),
        "--profile",
        "pe-mef-transferencias",
        stdout=StringIO(),
    )
    january = ResourceFlow.objects.filter(fiscal_year=2026, month=1, source="mining_canon").select_related(
        "municipality"
    )
    by_place = {flow.municipality.code if flow.municipality else None: flow.amount for flow in january}
    assert by_place[None] == Decimal("25000000.00")  # the regional government's own transfer (ubigeo 180000)
    assert by_place["180301"] == Decimal("12345678.90")  # Ilo
    assert by_place["180302"] == Decimal("1234567.10")  # El Algarrobal
    assert sum(by_place.values()) == Decimal("46580246.00")


def test_the_consulta_amigable_workbook_reads_projects_and_rubros(world):
    call_command(
        "import_data",
        "execution",
        str(FILES / "mef_consulta_amigable_moquegua_2026.xlsx"),
        "--profile",
        "pe-mef-consulta-amigable",
        stdout=StringIO(),
    )
    rows = {row.project_code: row for row in BudgetExecution.objects.all()}
    water = rows["2001621"]  # two pliegos of one project: summed
    assert (water.allocated, water.executed, water.funding_source, water.currency) == (
        Decimal("140000000.00"),
        Decimal("97000000.00"),
        "mining_canon",
        "PEN",
    )
    assert water.project_name == "MEJORAMIENTO DEL SERVICIO DE AGUA POTABLE EN ILO"
    assert rows["2345118"].funding_source == "national_programme"


def test_an_unknown_profile_is_refused_naming_the_builtin_ones(world):
    with pytest.raises(CommandError, match="pe-mef-transferencias"):
        call_command("import_data", "flows", str(FILES / "sgr_asignaciones_2025.csv"), "--profile", "nope")


def test_a_row_outside_the_users_countries_reports_that_alone_naming_its_column(world):
    report = resources_import(
        kind="flows",
        file="Departamento,Año fiscal,Origen,Monto\nLa Guajira,2024,Canon minero,100\n",
        dry_run=True,
        allowed_country_ids=frozenset({world.pe.pk}),
    )
    assert [error.message for error in report.errors] == [
        "Departamento: you may not import data for La Guajira: it is outside your country teams."
    ]
