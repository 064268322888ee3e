"""The planning and results endpoints: constant query counts, the select action, computed fields, scoping."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from coalitions.models import Initiative
from core.tests.api_resources import RESOURCES
from results.models import Indicator, IndicatorValue

ENDPOINTS = {
    "entry-points": "entrypoint",
    "development-plans": "developmentplan",
    "plan-objectives": "planobjective",
    "resource-flows": "resourceflow",
    "budget-executions": "budgetexecution",
    "indicators": "indicator",
    "indicator-values": "indicatorvalue",
}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def add_rows(world, basename: str, start: int, count: int) -> None:
    """Rows `start`..`start+count` of the kind, with their relations filled, so an N+1 would show."""
    from planning.models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow

    plan, _ = DevelopmentPlan.objects.get_or_create(
        country=world.co, name="Plan", defaults={"region": world.guajira, "start_year": 2000, "end_year": 2030}
    )
    objective, _ = PlanObjective.objects.get_or_create(plan=plan, code="O", defaults={"title": "t"})
    for i in range(start, start + count):
        if basename == "entrypoint":
            ep = EntryPoint.objects.create(
                country=world.co,
                title=f"EP {i}",
                challenge="c",
                feasibility=1,
                impact=2,
                added_value=3,
                analysed_by=world.staff_co,
            )
            ep.regions.add(world.guajira)
            ep.stakeholders.add(world.co_org)
        elif basename == "developmentplan":
            DevelopmentPlan.objects.create(
                country=world.co, region=world.guajira, name=f"P {i}", start_year=2024, end_year=2025
            )
        elif basename == "planobjective":
            PlanObjective.objects.create(plan=plan, code=f"O{i}", title="t")
        elif basename == "resourceflow":
            ResourceFlow.objects.create(region=world.guajira, fiscal_year=2000 + i, source="mining_royalties", amount=1)
        elif basename == "budgetexecution":
            BudgetExecution.objects.create(
                region=world.guajira,
                fiscal_year=2020,
                project_code=f"P{i}",
                project_name="p",
                funding_source="mining_canon",
                allocated=10,
                executed=5,
                objective=objective,
            )
        else:  # indicator, indicatorvalue
            indicator = Indicator.objects.create(
                coalition=world.co_coalition,
                region=world.guajira,
                name=f"I {i}",
                unit="u",
                baseline_value=0,
                baseline_year=2022,
                target_value=10,
                target_year=2026,
            )
            IndicatorValue.objects.create(indicator=indicator, period_end=datetime.date(2024, 12, 31), value=i)


# Entry points are staff-only: partners get a 403 on that list, tested with the permission matrix.
LIST_CASES = [
    (prefix, basename, persona)
    for prefix, basename in ENDPOINTS.items()
    for persona in ("staff_co", "partner_co")
    if not (persona == "partner_co" and basename == "entrypoint")
]


@pytest.mark.parametrize(("prefix", "basename", "persona"), LIST_CASES)
def test_list_query_count_does_not_grow_with_rows(world, prefix, basename, persona, django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.get(pk=getattr(world, persona).pk))
    add_rows(world, basename, 0, 2)
    few = queries(client, f"/api/v1/{prefix}/")
    add_rows(world, basename, 2, 12)
    assert queries(client, f"/api/v1/{prefix}/") == few


def test_staff_select_an_entry_point_through_the_api(staff_api, world):
    entry_point = RESOURCES["entrypoint"].make(world)
    response = staff_api.post(f"/api/v1/entry-points/{entry_point.pk}/select/")
    assert response.status_code == 200, response.content
    initiative = Initiative.objects.get(entry_point=entry_point)
    assert response.json()["initiative"] == initiative.pk
    assert response.json()["status"] == "selected"


def test_staff_of_another_country_cannot_select_through_the_api(world):
    client = APIClient()
    client.force_authenticate(world.staff_pe)
    entry_point = RESOURCES["entrypoint"].make(world)
    assert client.post(f"/api/v1/entry-points/{entry_point.pk}/select/").status_code == 403
    assert not Initiative.objects.filter(entry_point=entry_point).exists()


def test_partner_cannot_select(partner_api, world):
    entry_point = RESOURCES["entrypoint"].make(world)
    assert partner_api.post(f"/api/v1/entry-points/{entry_point.pk}/select/").status_code == 404


def test_indicator_progress_is_computed_in_the_api(partner_api, world):
    indicator = Indicator.objects.create(
        coalition=world.co_coalition,
        name="Communities",
        unit="c",
        baseline_value=0,
        baseline_year=2022,
        target_value=100,
        target_year=2030,
    )
    IndicatorValue.objects.create(indicator=indicator, period_end=datetime.date(2024, 12, 31), value=Decimal(40))
    body = partner_api.get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert body["progress"]["status"] == "on_track"
    assert Decimal(body["progress"]["share"]) == Decimal("0.4")


def test_execution_rate_is_null_when_nothing_was_allocated(staff_api, world):
    from planning.models import BudgetExecution

    row = BudgetExecution.objects.create(
        region=world.guajira,
        fiscal_year=2024,
        project_code="Z",
        project_name="z",
        funding_source="mining_canon",
        allocated=0,
        executed=0,
    )
    assert staff_api.get(f"/api/v1/budget-executions/{row.pk}/").json()["execution_rate"] is None


def test_bad_scores_and_negative_amounts_are_400_with_nothing_written(staff_api, world):
    from planning.models import EntryPoint, ResourceFlow

    body = RESOURCES["entrypoint"].body(world) | {"feasibility": 9}
    response = staff_api.post("/api/v1/entry-points/", body, format="json")
    assert response.status_code == 400 and "feasibility" in str(response.json())
    body = RESOURCES["resourceflow"].body(world) | {"amount": "-1"}
    assert staff_api.post("/api/v1/resource-flows/", body, format="json").status_code == 400
    body = RESOURCES["resourceflow"].body(world) | {"month": 13}
    assert staff_api.post("/api/v1/resource-flows/", body, format="json").status_code == 400
    assert not EntryPoint.objects.exists() and not ResourceFlow.objects.exists()


def test_duplicate_natural_key_is_400(staff_api, world):
    body = RESOURCES["resourceflow"].body(world)
    assert staff_api.post("/api/v1/resource-flows/", body, format="json").status_code == 201
    assert staff_api.post("/api/v1/resource-flows/", body, format="json").status_code == 400


def test_plan_region_must_be_in_the_plan_country(staff_api, world):
    body = RESOURCES["developmentplan"].body(world) | {"region": world.moquegua.pk}
    assert staff_api.post("/api/v1/development-plans/", body, format="json").status_code == 400


def test_coalitions_commitments_and_outcomes_name_their_plan_objectives(staff_api, world, plans):
    objective = plans["PE-MOQ"].objectives.get(code="OER5")
    world.pe_initiative.objectives.add(objective)
    world.pe_coalition.objectives.add(objective)
    world.pe_commitment.objective = objective
    world.pe_commitment.save()
    assert staff_api.get(f"/api/v1/coalitions/{world.pe_coalition.pk}/").json()["objectives"] == [objective.pk]
    assert staff_api.get(f"/api/v1/commitments/{world.pe_commitment.pk}/").json()["objective"] == objective.pk
    response = staff_api.patch(f"/api/v1/outcomes/{world.co_outcome.pk}/", {"objective": objective.pk}, format="json")
    assert response.status_code == 200 and response.json()["objective"] == objective.pk


def test_the_api_cannot_mark_an_entry_point_selected_without_the_select_action(staff_api, world):
    body = RESOURCES["entrypoint"].body(world) | {"status": "selected"}
    response = staff_api.post("/api/v1/entry-points/", body, format="json")
    assert response.status_code == 400 and "select action" in str(response.json())
