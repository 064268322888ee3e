"""Development plans and objectives: everyone signed in reads them; staff edit their countries' only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import DevelopmentPlan, PlanObjective

LIST = reverse("planning:plan_list")


@pytest.mark.parametrize("fixture", ["staff_client", "other_staff_client", "partner_client", "other_partner_client"])
def test_every_role_reads_plans_and_objectives(request, fixture, plans, plan_indicator):
    client = request.getfixturevalue(fixture)
    plan = plans["PE-MOQ"]
    assert plan.name in client.get(LIST).content.decode()
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "OER2" in detail and "Households with safe water" in detail
    assert client.get(plan.objectives.get(code="OER2").get_absolute_url()).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, plans):
    assert client.get(LIST).status_code == 302


def test_plan_list_query_count_is_constant(staff_client, plans, world, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST)
    for i in range(8):
        DevelopmentPlan.objects.create(
            country=world.co, region=world.guajira, name=f"Plan {i}", start_year=2024, end_year=2027
        )
    with django_assert_num_queries(len(few)):
        staff_client.get(LIST)


def test_staff_create_a_plan_and_objectives_in_their_country(other_staff_client, world):
    response = other_staff_client.post(
        reverse("planning:plan_create", kwargs={"code": "pe"}),
        {"name": "PDRC Tacna", "level": "regional", "region": world.moquegua.pk, "start_year": 2024, "end_year": 2030},
    )
    plan = DevelopmentPlan.objects.get(name="PDRC Tacna")
    assert response.status_code == 302 and plan.country == world.pe
    response = other_staff_client.post(
        reverse("planning:objective_create", kwargs={"plan_pk": plan.pk}), {"code": "OER1", "title": "Agua"}
    )
    assert response.status_code == 302 and plan.objectives.get().title == "Agua"


def test_plan_ending_before_it_starts_is_a_form_error(other_staff_client, world):
    response = other_staff_client.post(
        reverse("planning:plan_create", kwargs={"code": "pe"}),
        {"name": "Backwards", "level": "regional", "region": world.moquegua.pk, "start_year": 2030, "end_year": 2024},
    )
    assert response.status_code == 200
    assert "A plan cannot end before it starts." in response.content.decode()
    assert not DevelopmentPlan.objects.filter(name="Backwards").exists()


def test_duplicate_objective_code_is_a_form_error(other_staff_client, plans):
    plan = plans["PE-MOQ"]
    response = other_staff_client.post(
        reverse("planning:objective_create", kwargs={"plan_pk": plan.pk}), {"code": "OER1", "title": "Again"}
    )
    assert response.status_code == 200
    assert "already has an objective with this code" in response.content.decode()


def test_staff_of_another_country_get_403(staff_client, plans):
    plan = plans["PE-MOQ"]
    objective = plan.objectives.first()
    assert staff_client.get(reverse("planning:plan_create", kwargs={"code": "pe"})).status_code == 403
    assert staff_client.get(reverse("planning:plan_edit", kwargs={"pk": plan.pk})).status_code == 403
    assert staff_client.post(reverse("planning:objective_create", kwargs={"plan_pk": plan.pk}), {}).status_code == 403
    assert staff_client.get(reverse("planning:objective_edit", kwargs={"pk": objective.pk})).status_code == 403


@pytest.mark.parametrize("fixture", ["partner_client", "other_partner_client"])
def test_partners_cannot_edit_plans(request, fixture, plans):
    client = request.getfixturevalue(fixture)
    plan = plans["PE-MOQ"]
    assert client.get(reverse("planning:plan_create", kwargs={"code": "pe"})).status_code == 403
    assert client.post(reverse("planning:plan_edit", kwargs={"pk": plan.pk}), {"name": "x"}).status_code == 403
    assert PlanObjective.objects.filter(plan=plan).count() == 5
