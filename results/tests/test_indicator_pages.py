"""Indicators: partners see those of their coalitions (and public plans), staff add values in their countries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.models import Indicator, IndicatorValue


@pytest.fixture
def indicators(world):
    def make(**owner):
        indicator = Indicator.objects.create(
            name="Communities formed",
            unit="communities",
            baseline_value=0,
            baseline_year=2022,
            target_value=100,
            target_year=2026,
            **owner,
        )
        IndicatorValue.objects.create(indicator=indicator, period_end=datetime.date(2024, 12, 31), value=60)
        return indicator

    return {
        "co_coalition": make(coalition=world.co_coalition),
        "pe_coalition": make(coalition=world.pe_coalition),
        "co_initiative": make(initiative=world.co_initiative),
    }


def test_partner_sees_indicators_of_their_coalition_only(world, indicators):
    visible = set(Indicator.objects.visible_to(world.partner_co))
    assert visible == {indicators["co_coalition"], indicators["co_initiative"]}
    assert set(IndicatorValue.objects.visible_to(world.partner_pe).values_list("indicator", flat=True)) == {
        indicators["pe_coalition"].pk
    }


def test_other_partner_gets_404_on_a_colombian_indicator(other_partner_client, partner_client, indicators):
    url = indicators["co_coalition"].get_absolute_url()
    assert other_partner_client.get(url).status_code == 404
    assert partner_client.get(url).status_code == 200


def test_staff_add_a_value_in_their_country_only(staff_client, other_staff_client, indicators):
    indicator = indicators["co_coalition"]
    url = reverse("results:value_create", kwargs={"pk": indicator.pk})
    assert other_staff_client.post(url, {"period_end": "2025-12-31", "value": "80"}).status_code == 403
    response = staff_client.post(url, {"period_end": "2025-12-31", "value": "80", "source": "DANE"})
    assert response.status_code == 302
    assert indicator.values.get(period_end="2025-12-31").value == Decimal(80)


def test_duplicate_period_is_a_form_error(staff_client, indicators):
    url = reverse("results:value_create", kwargs={"pk": indicators["co_coalition"].pk})
    response = staff_client.post(url, {"period_end": "2024-12-31", "value": "1"})
    assert response.status_code == 200 and "already has a value for that period" in response.content.decode()


def test_partners_cannot_add_values(partner_client, indicators):
    url = reverse("results:value_create", kwargs={"pk": indicators["co_coalition"].pk})
    assert partner_client.post(url, {"period_end": "2025-12-31", "value": "1"}).status_code == 403


def render_indicators_for(user, owner) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load results %}{% indicators_for owner %}").render(
        Context({"request": request, "owner": owner})
    )


def test_indicators_for_shows_progress_and_objectives(world, indicators, django_assert_num_queries):
    html = render_indicators_for(world.staff_co, world.co_initiative)
    assert "Communities formed" in html and "60 %" in html
    assert "Plan objectives pursued" in html


def test_indicators_for_hides_other_coalitions_from_partners(world, indicators):
    assert "Communities formed" not in render_indicators_for(world.partner_pe, world.co_coalition)
    assert "Communities formed" in render_indicators_for(world.partner_co, world.co_coalition)


def test_indicators_for_query_count_is_constant(world, indicators, django_user_model):
    def staff():  # a fresh instance each time: the user caches their team countries
        return django_user_model.objects.get(pk=world.staff_co.pk)

    with CaptureQueriesContext(connection) as few:
        render_indicators_for(staff(), world.co_coalition)
    for i in range(5):
        extra = Indicator.objects.create(coalition=world.co_coalition, name=f"More {i}", unit="u")
        IndicatorValue.objects.create(indicator=extra, period_end=datetime.date(2024, 12, 31), value=i)
    with CaptureQueriesContext(connection) as many:
        render_indicators_for(staff(), world.co_coalition)
    assert len(many) == len(few)


def test_an_indicator_needs_exactly_one_owner(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Indicator.objects.create(name="Orphan", unit="u")


INDICATOR = {
    "name": "Households connected",
    "unit": "households",
    "direction": "increase",
    "baseline_value": "0",
    "baseline_year": "2022",
    "target_value": "5000",
    "target_year": "2026",
}


def test_staff_create_an_indicator_for_an_initiative_of_their_country(staff_client, world):
    url = reverse("results:indicator_create", kwargs={"kind": "initiative", "owner_pk": world.co_initiative.pk})
    response = staff_client.post(url, INDICATOR | {"region": world.guajira.pk})
    indicator = Indicator.objects.get(name="Households connected")
    assert response.status_code == 302
    assert indicator.initiative == world.co_initiative and indicator.region == world.guajira


def test_indicator_form_errors_instead_of_500(staff_client, world):
    url = reverse("results:indicator_create", kwargs={"kind": "coalition", "owner_pk": world.co_coalition.pk})
    response = staff_client.post(url, INDICATOR | {"target_value": "-1"})  # target on the wrong side
    assert response.status_code == 200 and "better side of the baseline" in response.content.decode()
    staff_client.post(url, INDICATOR)
    response = staff_client.post(url, INDICATOR)  # same name twice in one coalition
    assert response.status_code == 200 and "already has an indicator with this name" in response.content.decode()
    response = staff_client.post(url, INDICATOR | {"region": world.moquegua.pk, "name": "Other"})
    assert response.status_code == 200 and "region" in response.context["form"].errors


def test_indicator_create_and_edit_are_403_outside_the_team_and_for_partners(
    other_staff_client, partner_client, indicators, world
):
    url = reverse("results:indicator_create", kwargs={"kind": "coalition", "owner_pk": world.co_coalition.pk})
    assert other_staff_client.post(url, INDICATOR).status_code == 403
    assert partner_client.post(url, INDICATOR).status_code == 403
    edit = reverse("results:indicator_edit", kwargs={"pk": indicators["co_coalition"].pk})
    assert other_staff_client.post(edit, INDICATOR).status_code == 403
    assert not Indicator.objects.filter(name="Households connected").exists()


def test_unknown_owner_kind_is_404(staff_client, world):
    url = reverse("results:indicator_create", kwargs={"kind": "stakeholder", "owner_pk": 1})
    assert staff_client.get(url).status_code == 404


def test_staff_edit_an_indicator(staff_client, indicators):
    indicator = indicators["co_coalition"]
    response = staff_client.post(reverse("results:indicator_edit", kwargs={"pk": indicator.pk}), INDICATOR)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Households connected" and indicator.coalition_id is not None
