"""The country dashboard: a country team's figures over time, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalitions.models import Commitment, Engagement, Outcome
from results.models import Indicator, IndicatorValue
from trends.dashboard import PANELS, months_back, quarters_back
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
    page = staff_client.get(URL)
    assert page.status_code == 200
    panels = {name: staff_client.get(f"{URL}{name}/", HTTP_HX_REQUEST="true") for name in PANELS}
    assert all(f'hx-get="{URL}{name}/"' in page.content.decode() for name in PANELS)
    assert panels["activity"].context["activity_rows"][-1][1:] == (1, 2)
    fulfilment = panels["fulfilment"].context["fulfilment"]
    assert (fulfilment.made, fulfilment.done, fulfilment.overdue, fulfilment.rate) == (2, 1, 1, 50)
    assert [row.coalition for row in panels["attention"].context["attention"]] == [world.co_coalition]
    html = "".join(panel.content.decode() for panel in panels.values())
    assert html.count('<svg class="chart"') == 3
    assert "Moquegua" not in html  # Peru's work is not Colombia's


def test_the_engagements_and_participations_per_month_count_each_once(staff_client, world):
    today = timezone.localdate()
    for title, participants in (("A", [world.co_org, world.co_mayor]), ("B", []), ("C", [world.co_org])):
        engagement = Engagement.objects.create(
            coalition=world.co_coalition, occurred_on=today, kind="meeting", title=title
        )
        engagement.participants.set(participants)
    rows = staff_client.get(f"{URL}activity/", HTTP_HX_REQUEST="true").context["activity_rows"]
    assert rows[-1][1:] == (3, 3)


def test_a_panel_alone_is_a_page_of_its_own(staff_client, world):
    html = staff_client.get(f"{URL}fulfilment/").content.decode()
    assert "<html" in html and "Commitments made" in html and 'href="/countries/co/dashboard/"' in html


def test_the_panels_check_the_country_as_the_page_does(partner_client, staff_client, world):
    assert partner_client.get(f"{URL}activity/", HTTP_HX_REQUEST="true").status_code == 403
    assert staff_client.get("/countries/zz/dashboard/activity/", HTTP_HX_REQUEST="true").status_code == 404
    assert staff_client.get(f"{URL}nothing/", HTTP_HX_REQUEST="true").status_code == 404


def test_partners_get_the_staff_gate_and_unknown_countries_a_404(partner_client, staff_client, world):
    assert partner_client.get(URL).status_code == 403
    assert staff_client.get("/countries/zz/dashboard/").status_code == 404


@pytest.mark.parametrize("panel", ["", *(f"{name}/" for name in PANELS)])
def test_the_query_count_does_not_grow_with_the_data(staff_client, world, panel):
    today = timezone.localdate()

    def queries() -> int:
        staff_client.get(URL + panel, HTTP_HX_REQUEST="true")  # warm: the first request fills the short tables' cache
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL + panel, HTTP_HX_REQUEST="true").status_code == 200
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
    assert queries() == few <= 8


def test_the_dashboard_speaks_spanish(staff_client, world):
    page = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Panel de Colombia" in page and "Cumplimiento de los compromisos" in page and "Abrir esta sección" in page
    panel = staff_client.get(f"{URL}fulfilment/", HTTP_ACCEPT_LANGUAGE="es", HTTP_HX_REQUEST="true").content.decode()
    assert "Compromisos cumplidos" in panel
