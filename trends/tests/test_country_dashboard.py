"""The country dashboard: a country team's figures over time, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalitions.models import Commitment, Engagement, Outcome
from results.models import Indicator, IndicatorValue
from trends.dashboard import months_back, quarters_back
from trends.models import CoalitionHealthSnapshot

pytestmark = pytest.mark.django_db

URL = "/countries/co/dashboard/"


def test_the_months_and_quarters_end_with_todays():
    assert months_back(datetime.date(2026, 2, 10), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert quarters_back(datetime.date(2026, 2, 10), 2) == [datetime.date(2025, 10, 1), datetime.date(2026, 1, 1)]


def test_the_dashboard_counts_the_countrys_work(staff_client, world):
    today = timezone.localdate()
    engagement = Engagement.objects.create(coalition=world.co_coalition, occurred_on=today, kind="meeting", title="Hoy")
    engagement.participants.set([world.co_org, world.co_mayor])
    Commitment.objects.filter(pk=world.co_commitment.pk).update(status="done")
    Commitment.objects.create(
        coalition=world.co_coalition, owner=world.co_org, description="Late", due_on=today - datetime.timedelta(days=3)
    )
    Outcome.objects.create(coalition=world.co_coalition, description="Won", observed_on=today)
    CoalitionHealthSnapshot.objects.create(
        coalition=world.co_coalition, period=today.replace(day=1), as_of=today, last_met_on=None
    )
    response = staff_client.get(URL)
    assert response.status_code == 200
    context = response.context
    assert context["activity_rows"][-1][1:] == (1, 2)
    assert (context["fulfilment"].made, context["fulfilment"].done, context["fulfilment"].overdue) == (2, 1, 1)
    assert context["fulfilment"].rate == 50
    assert [row.coalition for row in context["attention"]] == [world.co_coalition]
    assert response.content.decode().count('<svg class="chart"') == 3
    assert "Moquegua" not in response.content.decode()  # Peru's work is not Colombia's


def test_partners_get_the_staff_gate_and_unknown_countries_a_404(partner_client, staff_client, world):
    assert partner_client.get(URL).status_code == 403
    assert staff_client.get("/countries/zz/dashboard/").status_code == 404


def test_the_query_count_does_not_grow_with_the_data(staff_client, world):
    today = timezone.localdate()

    def queries() -> int:
        staff_client.get(URL)  # warm: the first request fills the short tables' cache
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL).status_code == 200
        return len(captured)

    CoalitionHealthSnapshot.objects.create(coalition=world.co_coalition, period=today.replace(day=1), as_of=today)
    Indicator.objects.create(coalition=world.co_coalition, name="First", unit="u")  # so its values are prefetched
    few = queries()
    for index in range(6):
        Engagement.objects.create(
            coalition=world.co_coalition, occurred_on=today - datetime.timedelta(days=40 * index), kind="meeting"
        )
        indicator = Indicator.objects.create(coalition=world.co_coalition, name=f"I{index}", unit="u")
        IndicatorValue.objects.create(indicator=indicator, period_end=today, value=index)
    assert queries() == few


def test_the_dashboard_speaks_spanish(staff_client, world):
    page = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Panel de Colombia" in page and "Cumplimiento de los compromisos" in page
