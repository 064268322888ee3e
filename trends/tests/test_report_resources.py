"""The period report's resource execution: the region resources page's figures over the subject's regions
and the period's fiscal years, on the page and as its own sheet; a sentence where there is none."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coalitions.models import Initiative
from coalitions.rollup import Period
from planning.models import BudgetExecution, DevelopmentPlan, PlanObjective, ResourceFlow
from trends.reports import report

pytestmark = pytest.mark.django_db

FIRST_HALF = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
QUERY = "?start=2026-01-01&end=2026-06-30"


@pytest.fixture
def money(world):
    """Hand-counted: in the first half of 2026 La Guajira received 1,000 of canon (the year's total)
    and 200 of royalties (March; November's 300 is after the period); it budgeted 1,000 and spent
    650 in 2026. 2025's money and Moquegua's are not Colombia's 2026."""
    flow = {"currency": "COP"}
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2026, source="mining_canon", amount=1000, **flow)
    ResourceFlow.objects.create(
        region=world.guajira, fiscal_year=2026, month=3, source="mining_royalties", amount=200, **flow
    )
    ResourceFlow.objects.create(
        region=world.guajira, fiscal_year=2026, month=11, source="mining_royalties", amount=300, **flow
    )
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2025, source="mining_canon", amount=5000, **flow)
    ResourceFlow.objects.create(region=world.moquegua, fiscal_year=2026, source="mining_canon", amount=9999)
    plan = DevelopmentPlan.objects.create(
        country=world.co, region=world.guajira, name="Plan La Guajira", start_year=2024, end_year=2027
    )
    objective = PlanObjective.objects.create(plan=plan, code="OE1", title="Energía para todos")
    execution = {"region": world.guajira, "currency": "COP", "funding_source": "mining_canon"}
    BudgetExecution.objects.create(
        fiscal_year=2026,
        objective=objective,
        project_code="P1",
        project_name="Solar",
        allocated=800,
        executed=600,
        **execution,
    )
    BudgetExecution.objects.create(
        fiscal_year=2026, project_code="P2", project_name="Vías", allocated=200, executed=50, **execution
    )
    BudgetExecution.objects.create(
        fiscal_year=2025, project_code="P3", project_name="Antes", allocated=70, executed=70, **execution
    )
    BudgetExecution.objects.create(
        region=world.moquegua,
        fiscal_year=2026,
        project_code="M1",
        project_name="Moquegua",
        allocated=1,
        executed=1,
        funding_source="mining_canon",
    )


def test_a_countrys_report_has_its_regions_money_in_the_periods_fiscal_years(world, money):
    resources = report(scope="country", subject=world.co, period=FIRST_HALF, user=world.staff_co).resources
    assert resources.years == [2026]
    transfers = resources.transfers
    assert [label for _value, label in transfers.sources] == ["Mining canon", "Mining royalties"]
    assert [(row.year, row.amounts, row.total) for row in transfers.rows] == [
        (2026, [Decimal(1000), Decimal(200)], Decimal(1200))
    ]
    assert [(row.code, row.allocated, row.executed) for row in resources.by_objective] == [
        ("OE1", Decimal(800), Decimal(600)),
        ("-", Decimal(200), Decimal(50)),
    ]
    assert (resources.allocated, resources.executed, resources.execution_rate) == (1000, 650, Decimal("0.65"))
    assert resources.currencies == ["COP"] and resources.absent == ""


def test_an_initiatives_report_has_the_money_of_the_regions_it_names(world, money):
    initiative = world.co_initiative
    assert report(scope="initiative", subject=initiative, period=FIRST_HALF, user=world.staff_co).resources.absent
    initiative.regions.set([world.guajira])
    resources = report(scope="initiative", subject=initiative, period=FIRST_HALF, user=world.staff_co).resources
    assert (resources.transfers_total, resources.executed) == (1200, 650)


def test_without_such_data_the_section_says_why(world, money):
    empty = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    made = report(scope="country", subject=world.co, period=empty, user=world.staff_co)
    assert made.resources.absent.startswith("No resource flows or budget execution")
    coalition = report(scope="coalition", subject=world.co_coalition, period=FIRST_HALF, user=world.staff_co)
    assert coalition.resources.absent.startswith("Resource execution is reported for a country or an initiative")
    bare = Initiative.objects.create(country=world.co, name="Sin regiones")
    assert (
        "names no regions"
        in report(scope="initiative", subject=bare, period=FIRST_HALF, user=world.staff_co).resources.absent
    )


def test_the_page_shows_the_section_in_both_languages(staff_client, world, money):
    section = "/reports/country/CO/sections/resources/" + QUERY
    page = staff_client.get("/reports/country/co/" + QUERY).content.decode()
    assert f'hx-get="{section.replace("&", "&amp;")}"' in page
    html = staff_client.get(section, HTTP_HX_REQUEST="true").content.decode()
    assert "Resource execution" in html and "Budget execution by plan objective" in html
    assert "1,200" in html and "65 %" in html
    html = staff_client.get(section, HTTP_ACCEPT_LANGUAGE="es", HTTP_HX_REQUEST="true").content.decode()
    assert "Ejecución de recursos" in html and "Ejecución presupuestal por objetivo del plan" in html
    assert re.search(r"1\s200</td>", html)  # Spanish groups thousands with a space
    section = f"/reports/coalition/{world.co_coalition.pk}/sections/resources/" + QUERY
    html = staff_client.get(section, HTTP_HX_REQUEST="true").content.decode()
    assert "Resource execution is reported for a country or an initiative" in html


def test_the_workbook_has_the_section_as_its_own_sheet(staff_client, world, money):
    response = staff_client.get("/reports/country/co/" + QUERY + "&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content))["Resource execution"].values)
    assert rows[0] == ("Fiscal year", "Mining canon", "Mining royalties", "Total", None)
    assert rows[1][:4] == (2026, 1000, 200, 1200)
    assert rows[2][:4] == ("Total", 1000, 200, 1200)
    execution_total = next(row for row in rows[4:] if row[0] == "Total")
    assert execution_total == ("Total", None, 1000, 650, 65)
    response = staff_client.get("/reports/country/co/" + QUERY + "&format=xlsx", HTTP_ACCEPT_LANGUAGE="es")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Ejecución de recursos"
    assert next(iter(book["Ejecución de recursos"].values))[0] == "Año fiscal"
