from decimal import Decimal
from pathlib import Path

import pytest

from core import demo
from countries.models import Country
from planning.importers import resources_import
from planning.models import DevelopmentPlan, EntryPoint
from results.models import Indicator, IndicatorValue

PLANNING = Path(__file__).resolve().parents[1]
SAMPLE_DATA = PLANNING / "sample_data"


@pytest.fixture
def plans(world):
    """Moquegua's and Cajamarca's plans with their objectives (from the demo data)."""
    demo.load([*demo.data_files("countries"), PLANNING / "demo" / "plans.yaml"])
    return {plan.region.code: plan for plan in DevelopmentPlan.objects.select_related("region")}


@pytest.fixture
def resources(plans):
    """The shipped sample transfers and budget execution for Moquegua and Cajamarca."""
    for kind, filename in (("flows", "resource_flows.csv"), ("execution", "budget_execution.csv")):
        report = resources_import(kind=kind, file=(SAMPLE_DATA / filename).read_text(), dry_run=False)
        assert report.ok, report.errors
    return plans


@pytest.fixture
def plan_indicator(plans):
    objective = plans["PE-MOQ"].objectives.get(code="OER2")
    indicator = Indicator.objects.create(
        objective=objective,
        name="Households with safe water",
        unit="%",
        baseline_value=Decimal(78),
        baseline_year=2021,
        target_value=Decimal(95),
        target_year=2030,
    )
    IndicatorValue.objects.create(indicator=indicator, period_end="2024-12-31", value=Decimal(82))
    return indicator


def make_entry_point(country: Country, title: str, scores=(3, 3, 3), **fields) -> EntryPoint:
    feasibility, impact, added_value = scores
    return EntryPoint.objects.create(
        country=country,
        title=title,
        challenge="A concrete challenge",
        feasibility=feasibility,
        impact=impact,
        added_value=added_value,
        **fields,
    )
