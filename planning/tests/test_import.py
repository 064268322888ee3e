"""CSV import: every bad row reported with its line, nothing imported when any row is bad, idempotent."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.testing import import_through_page
from planning.importers import resources_import
from planning.models import BudgetExecution, ResourceFlow

from .conftest import SAMPLE_DATA

FLOWS_HEADER = "region_code,fiscal_year,month,source,amount,currency,is_sample,note\n"
EXEC_HEADER = (
    "region_code,fiscal_year,project_code,project_name,funding_source,allocated,executed,currency,plan_objective\n"
)
URL = reverse("imports:start")


def test_sample_files_import_and_a_second_import_changes_nothing(plans):
    for kind, filename, model in (
        ("flows", "resource_flows.csv", ResourceFlow),
        ("execution", "budget_execution.csv", BudgetExecution),
    ):
        text = (SAMPLE_DATA / filename).read_text()
        first = resources_import(kind=kind, file=text, dry_run=False)
        assert first.ok and first.created == first.rows > 0
        stamps = dict(model.objects.values_list("pk", "updated_at"))
        second = resources_import(kind=kind, file=text, dry_run=False)
        assert (second.created, second.updated, second.unchanged) == (0, 0, first.rows)
        assert dict(model.objects.values_list("pk", "updated_at")) == stamps


def test_changed_amount_updates_the_row_in_place(world):
    resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\n", dry_run=False)
    report = resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,150,PEN,,\n", dry_run=False)
    assert (report.created, report.updated) == (0, 1)
    assert ResourceFlow.objects.get().amount == 150


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(plans):
    text = FLOWS_HEADER + (
        "PE-MOQ,2024,,mining_canon,100,PEN,,\n"  # line 2: fine
        "PE-XXX,2024,,mining_canon,100,PEN,,\n"  # line 3: unknown region
        "PE-MOQ,2024,13,mining_canon,100,PEN,,\n"  # line 4: month
        "PE-MOQ,20x4,,mining_canon,100,PEN,,\n"  # line 5: year
        "PE-MOQ,2024,,gold,100,PEN,,\n"  # line 6: source
        'PE-MOQ,2024,,other_transfers,"1,000",PEN,,\n'  # line 7: fine, a thousands separator
        "PE-MOQ,2024,,royalties,-5,PEN,,\n"  # line 8: source and sign, both reported
        "PE-MOQ,2024,,mining_canon,100,PEN,,\n"  # line 9: duplicate of line 2
        "PE-MOQ,2023,,mining_canon,,PEN,,\n"  # line 10: empty amount
    )
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert [error.line for error in report.errors] == [3, 4, 5, 6, 8, 9, 10]
    assert "PE-XXX" in report.errors[0].message
    assert "royalties" in report.errors[4].message and "negative" in report.errors[4].message
    assert "line 2" in report.errors[5].message
    assert not ResourceFlow.objects.exists()


def test_negative_allocation_and_unknown_objective_are_rejected(plans):
    text = EXEC_HEADER + (
        "PE-MOQ,2024,P1,Water,mining_canon,-10,0,PEN,\n"
        "PE-MOQ,2024,P2,Water,mining_canon,10,5,PEN,OER9\n"
        "PE-MOQ,2019,P3,Water,mining_canon,10,5,PEN,OER2\n"  # the plan starts in 2021
        "PE-MOQ,2024,P4,Water,mining_canon,10,5,PEN,oer2\n"  # fine: codes are case-insensitive
    )
    report = resources_import(kind="execution", file=text, dry_run=False)
    assert [error.line for error in report.errors] == [2, 3, 4]
    assert not BudgetExecution.objects.exists()


def test_execution_rows_link_to_the_plan_objective(plans):
    text = EXEC_HEADER + "PE-MOQ,2024,P4,Water,mining_canon,10,5,PEN,OER2\n"
    assert resources_import(kind="execution", file=text, dry_run=False).ok
    assert BudgetExecution.objects.get().objective.code == "OER2"


def test_missing_and_unknown_columns_are_reported_on_line_1(world):
    report = resources_import(kind="flows", file="region_code,fiscal_year\nPE-MOQ,2024\n", dry_run=False)
    assert report.errors[0].line == 1 and "source" in report.errors[0].message
    report = resources_import(kind="flows", file=FLOWS_HEADER.strip() + ",secret\n", dry_run=False)
    assert "secret" in report.errors[0].message


def test_empty_file_is_an_error(world):
    assert not resources_import(kind="flows", file=FLOWS_HEADER, dry_run=False).ok
    assert not resources_import(kind="flows", file="", dry_run=False).ok


def test_dry_run_reports_counts_and_writes_nothing(plans):
    text = (SAMPLE_DATA / "resource_flows.csv").read_text()
    report = resources_import(kind="flows", file=text, dry_run=True)
    assert report.ok and report.created == report.rows
    assert not ResourceFlow.objects.exists()


def test_staff_cannot_import_rows_outside_their_country_teams(world):
    report = resources_import(
        kind="flows",
        file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\n",
        dry_run=False,
        allowed_country_ids=frozenset({world.co.pk}),
    )
    assert report.errors[0].line == 2 and "country teams" in report.errors[0].message


def test_command_imports_and_is_idempotent(plans, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text((SAMPLE_DATA / "resource_flows.csv").read_text())
    out = StringIO()
    call_command("import_data", "flows", str(path), stdout=out)
    assert "30 new" in out.getvalue()
    out = StringIO()
    call_command("import_data", "flows", str(path), stdout=out)
    assert "0 new, 0 changed, 30 unchanged" in out.getvalue()


def test_command_fails_on_bad_rows_and_imports_nothing(world, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\nPE-MOQ,2024,,nope,1,PEN,,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "flows", str(path), stderr=err)
    assert "Line 3:" in err.getvalue()
    assert not ResourceFlow.objects.exists()


def upload(client, text: str, *, kind="flows", dry_run=False, encoding="utf-8"):
    """The import page's last answer: the dry run's when it fails or only it is asked, else the import's."""
    dry, done = import_through_page(client, kind=kind, content=text.encode(encoding), dry_run_only=dry_run)
    return done or dry


def test_upload_page_documents_the_columns_of_each_kind(other_staff_client):
    response = other_staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "id,region_code,municipality,fiscal_year,month,source,amount" in html
    assert "id,region_code,fiscal_year,project_code,project_name,funding_source" in html


def test_the_former_one_step_upload_page_leads_to_the_import_page(other_staff_client):
    response = other_staff_client.get(reverse("planning:resources_import") + "?kind=execution")
    assert response.status_code == 302 and response.url == URL + "?kind=execution"
    assert other_staff_client.get(response.url).context["form"]["kind"].value() == "execution"


def test_staff_upload_dry_run_then_import(other_staff_client, world):
    text = FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\n"
    response = upload(other_staff_client, text, dry_run=True)
    assert "Dry run: the file is valid" in response.content.decode()
    assert not ResourceFlow.objects.exists()
    response = upload(other_staff_client, text)
    assert "1 rows: 1 new" in response.content.decode()
    assert ResourceFlow.objects.count() == 1


def test_upload_lists_bad_rows_with_line_numbers(other_staff_client, world):
    response = upload(
        other_staff_client, FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\nPE-MOQ,2024,,nope,1,,,\n"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html and '<td class="num">3</td>' in html
    assert not ResourceFlow.objects.exists()


def test_upload_of_another_countrys_rows_is_refused(staff_client, world):
    response = upload(staff_client, FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\n")
    assert "outside your country teams" in response.content.decode()
    assert not ResourceFlow.objects.exists()


def test_upload_of_a_latin1_file_in_spanish_is_read(other_staff_client, world):
    text = "Región;Año fiscal;Origen;Monto\nMoquegua;2024;Canon minero;1.234,50\n"
    response = upload(other_staff_client, text, encoding="latin-1")
    assert response.status_code == 200
    assert "1 rows: 1 new" in response.content.decode()
    assert ResourceFlow.objects.get().amount == Decimal("1234.50")


@pytest.mark.parametrize("fixture", ["partner_client", "other_partner_client"])
def test_partners_cannot_import(request, fixture, world):
    client = request.getfixturevalue(fixture)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("planning:resources_import")).status_code == 403
    file = SimpleUploadedFile("data.csv", (FLOWS_HEADER + "CO-LAG,2024,,mining_canon,100,COP,,\n").encode())
    assert client.post(URL, {"kind": "flows", "file": file}).status_code == 403
    assert not ResourceFlow.objects.exists()
