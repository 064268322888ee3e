"""The paths that write many rows at once (the two CSV imports, COPY, the demo loader) refuse a row
breaking a model rule, with that rule's own message, and write nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from coalitions.models import Coalition, Engagement
from core import demo
from core.bulk import bulk_insert
from core.validation import constraint_message
from countries.models import regions_outside
from planning.importers import resources_import
from planning.models import BudgetExecution, ResourceFlow
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

STAKEHOLDERS_HEADER = "name,acronym,kind,sector,level,country,regions,website,description\n"
FLOWS_HEADER = "region_code,fiscal_year,month,source,amount,currency,is_sample,note\n"
EXECUTION_HEADER = "region_code,fiscal_year,project_code,project_name,funding_source,allocated,executed,currency\n"


def test_the_stakeholder_import_refuses_a_region_of_another_country_with_the_models_message(world):
    result = stakeholders_import_csv(
        file=STAKEHOLDERS_HEADER
        + "Veeduría Uribia,,organisation,civil_society,local,CO,CO-LAG,,\n"
        + "Mesa Moquegua,,organisation,civil_society,local,CO,CO-LAG;PE-MOQ,,\n"
    )
    rule = regions_outside(world.co, [world.guajira, world.moquegua])  # what Stakeholder.clean says
    assert rule == "These regions are not in Colombia: Moquegua."
    assert [(error.line, error.message) for error in result.errors] == [(3, rule)]
    assert not Stakeholder.objects.filter(name__in=["Veeduría Uribia", "Mesa Moquegua"]).exists()


@pytest.mark.parametrize(
    ("row", "constraint"),
    [
        ("PE-MOQ,2024,13,mining_canon,100,PEN,,", "resourceflow_month_1_12"),
        ("PE-MOQ,2024,,mining_canon,-100,PEN,,", "resourceflow_amount_not_negative"),
        ("PE-MOQ,2024,,mining_canon,100,P3N,,", "resourceflow_currency_iso"),
    ],
)
def test_the_resources_import_refuses_a_row_breaking_a_constraint_with_its_message(world, row, constraint):
    report = resources_import(
        kind="flows", file=FLOWS_HEADER + "PE-MOQ,2023,,mining_canon,1,PEN,,\n" + row, dry_run=False
    )
    assert [(error.line, error.message) for error in report.errors] == [
        (3, str(constraint_message(ResourceFlow, constraint)))
    ]
    assert not ResourceFlow.objects.exists()


def test_the_resources_import_refuses_a_negative_execution_with_the_models_message(world):
    text = EXECUTION_HEADER + "PE-MOQ,2024,P1,Agua,mining_canon,10,-5,PEN\n"
    report = resources_import(kind="execution", file=text, dry_run=False)
    assert [error.message for error in report.errors] == ["The executed amount cannot be negative."]
    assert not BudgetExecution.objects.exists()


def test_a_changed_row_is_validated_too(world):
    """A row matched on its natural key is validated with its new values before it is updated."""
    assert resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,100,PEN,,\n", dry_run=False).ok
    report = resources_import(kind="flows", file=FLOWS_HEADER + "PE-MOQ,2024,,mining_canon,-1,PEN,,\n", dry_run=False)
    assert [error.message for error in report.errors] == ["The amount cannot be negative."]
    assert ResourceFlow.objects.get().amount == 100


def test_bulk_insert_runs_each_rows_rules_before_writing(world):
    rows = [
        Engagement(coalition=world.co_coalition, occurred_on="2026-02-01", kind="call", title="Llamada 1"),
        Engagement(
            coalition=world.co_coalition,
            initiative=world.pe_initiative,
            occurred_on="2026-02-01",
            kind="call",
            title="Llamada 2",
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        bulk_insert(Engagement, rows)
    assert refused.value.messages == ["This coalition belongs to another initiative."]
    assert not Engagement.objects.filter(title__startswith="Llamada").exists()


def with_demo_file(monkeypatch, path, text: str) -> None:
    """One more data file after the shipped ones: everything loads, then its record is refused."""
    path.write_text(text)
    shipped = demo.data_files()
    monkeypatch.setattr(demo, "data_files", lambda *labels: [*shipped, path])


def test_seed_demo_refuses_a_demo_row_breaking_a_model_rule_and_writes_nothing(db, monkeypatch, settings, tmp_path):
    """The demo is loaded through the models' rules: a region of Peru for a Colombian actor stops it."""
    settings.DEBUG = True  # seed_demo is for development; pytest runs with DEBUG off
    record = (
        "{ref: veeduria, country: CO, name: Veeduría de La Guajira, sector: civil_society, level: local,"
        " regions: [PE-MOQ]}"
    )
    with_demo_file(
        monkeypatch,
        tmp_path / "bad.yaml",
        f"- model: stakeholders.Stakeholder\n  key: [country, name]\n  records:\n  - {record}\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=io.StringIO())
    assert refused.value.__cause__.__cause__.message_dict == {
        "regions": ["These regions are not in Colombia: Moquegua."]
    }
    assert "bad.yaml:4 (stakeholders.Stakeholder 'veeduria'): regions: These regions are not in Colombia" in str(
        refused.value
    )
    assert not Stakeholder.objects.exists()
    assert not Coalition.objects.exists()


def test_seed_demo_refuses_a_colombian_coalition_placed_under_a_peruvian_initiative(
    db, monkeypatch, settings, tmp_path
):
    settings.DEBUG = True
    record = "{initiative: pe-moq, name: Coalición de La Guajira, level: local, regions: [CO-LAG]}"
    with_demo_file(
        monkeypatch,
        tmp_path / "bad.yaml",
        f"- model: coalitions.Coalition\n  key: [initiative, name]\n  records:\n  - {record}\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=io.StringIO())
    assert refused.value.__cause__.__cause__.message_dict["regions"][0].startswith("These regions are not in Peru: ")
    assert not Coalition.objects.exists()
