"""Coalition health over time: monthly snapshots, thresholds that flag, the comparison with trends."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalitions.models import Coalition, Commitment, Engagement, Membership
from stakeholders.models import Stakeholder
from trends.health import Trend, flags, health_rows, thresholds
from trends.models import CoalitionHealthSnapshot, HealthThresholds
from trends.services import coalition_health_snapshots_take

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 20)
LIMITS = {"members_lost": 2, "overdue_commitments": 3, "days_without_meeting": 90}


def health(coalition, period, **figures) -> CoalitionHealthSnapshot:
    values = {"as_of": period, "last_met_on": period, **figures}
    return CoalitionHealthSnapshot.objects.create(coalition=coalition, period=period, **values)


def test_a_snapshot_holds_the_coalition_pages_figures_for_its_day(world):
    coalition_health_snapshots_take(on=MARCH)
    snapshot = CoalitionHealthSnapshot.objects.get(coalition=world.co_coalition)
    page = world.co_coalition.health(today=MARCH)
    assert snapshot.period == datetime.date(2026, 3, 1) and snapshot.as_of == MARCH
    assert (
        (snapshot.members_active, snapshot.commitments_open)
        == (page.members_active, page.commitments_open)
        == (
            2,
            1,
        )
    )
    assert snapshot.last_met_on == world.co_engagement.occurred_on


def test_taking_it_again_in_the_month_updates_the_months_row(world):
    coalition_health_snapshots_take(on=MARCH)
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_mayor).update(
        left_on=datetime.date(2026, 3, 25)
    )
    coalition_health_snapshots_take(on=datetime.date(2026, 3, 28))
    snapshot = CoalitionHealthSnapshot.objects.get(coalition=world.co_coalition)  # still one
    assert snapshot.members_active == 1 and snapshot.as_of == datetime.date(2026, 3, 28)
    with pytest.raises(ValidationError, match="already has a health snapshot for this month"):
        CoalitionHealthSnapshot(coalition=world.co_coalition, period=snapshot.period, as_of=MARCH).full_clean()


def test_a_rerun_that_changes_nothing_writes_nothing(world):
    assert coalition_health_snapshots_take(on=MARCH) == Coalition.objects.exclude(formed_on__gt=MARCH).count()
    before = {row.pk: row.updated_at for row in CoalitionHealthSnapshot.objects.all()}
    with CaptureQueriesContext(connection) as captured:
        taken = coalition_health_snapshots_take(on=MARCH)
    assert taken == len(before)
    writes = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert {row.pk: row.updated_at for row in CoalitionHealthSnapshot.objects.all()} == before


def test_a_rerun_rewrites_only_the_rows_whose_figures_changed(world):
    coalition_health_snapshots_take(on=MARCH)
    before = {row.coalition_id: row for row in CoalitionHealthSnapshot.objects.all()}
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_mayor).update(
        left_on=datetime.date(2026, 3, 15)
    )
    coalition_health_snapshots_take(on=MARCH)
    after = {row.coalition_id: row for row in CoalitionHealthSnapshot.objects.all()}
    assert after.keys() == before.keys()
    changed = after[world.co_coalition.pk]
    assert (
        changed.pk == before[world.co_coalition.pk].pk
        and changed.created_at == before[world.co_coalition.pk].created_at
    )
    assert changed.members_active == before[world.co_coalition.pk].members_active - 1
    assert changed.updated_at > before[world.co_coalition.pk].updated_at
    others = [pk for pk in after if pk != world.co_coalition.pk]
    assert [after[pk].updated_at for pk in others] == [before[pk].updated_at for pk in others]


def test_a_month_before_is_taken_as_of_its_last_day(world):
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_mayor).update(
        joined_on=datetime.date(2026, 3, 2)
    )
    coalition_health_snapshots_take(on=MARCH, months_ago=1)
    snapshot = CoalitionHealthSnapshot.objects.get(coalition=world.co_coalition)
    assert (snapshot.period, snapshot.as_of) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert snapshot.members_active == 1  # the mayor joined in March


def test_snapshotting_every_coalition_takes_the_same_queries_whatever_their_number(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            coalition_health_snapshots_take(on=MARCH)
        return len(captured)

    first = queries()
    for index in range(6):
        Coalition.objects.create(initiative=world.co_initiative, name=f"C{index}", level="local", shared_goal="g")
    CoalitionHealthSnapshot.objects.all().delete()
    assert queries() == first


def test_losing_members_is_flagged_from_the_threshold():
    previous = CoalitionHealthSnapshot(members_active=10, as_of=MARCH, last_met_on=MARCH)
    assert flags(CoalitionHealthSnapshot(members_active=9, as_of=MARCH, last_met_on=MARCH), previous, LIMITS) == []
    assert flags(CoalitionHealthSnapshot(members_active=8, as_of=MARCH, last_met_on=MARCH), previous, LIMITS) == [
        "Lost 2 members"
    ]


def test_missing_commitments_is_flagged_from_the_threshold():
    def snapshot(overdue):
        return CoalitionHealthSnapshot(commitments_overdue=overdue, as_of=MARCH, last_met_on=MARCH)

    assert flags(snapshot(2), None, LIMITS) == []
    assert flags(snapshot(3), None, LIMITS) == ["3 commitments overdue"]


def test_not_meeting_for_90_days_is_flagged():
    def snapshot(days_ago):
        last = None if days_ago is None else MARCH - datetime.timedelta(days=days_ago)
        return CoalitionHealthSnapshot(as_of=MARCH, last_met_on=last)

    assert flags(snapshot(89), None, LIMITS) == []
    assert flags(snapshot(90), None, LIMITS) == ["Has not met for 90 days"]
    assert flags(snapshot(None), None, LIMITS) == ["Has never met"]


def test_the_admins_thresholds_override_the_settings(settings, world):
    settings.COALITION_HEALTH_THRESHOLDS = {"members_lost": 5, "overdue_commitments": 4, "days_without_meeting": 60}
    assert thresholds() == {"members_lost": 5, "overdue_commitments": 4, "days_without_meeting": 60}
    HealthThresholds.objects.create(overdue_commitments=1)
    HealthThresholds(days_without_meeting=30).save()  # the one row, changed
    assert HealthThresholds.objects.count() == 1
    assert thresholds() == {"members_lost": 5, "overdue_commitments": 4, "days_without_meeting": 30}


def test_trend_arrows_and_their_words():
    assert (Trend(5, 3).arrow, Trend(5, 3).words, Trend(5, 3).good) == ("▲", "up from 3 the month before", True)
    assert (Trend(2, 3).arrow, Trend(2, 3).words) == ("▼", "down from 3 the month before")
    assert Trend(4, 2, rise_is_good=False).good is False  # more overdue commitments is bad news
    assert (Trend(3, 3).arrow, Trend(3, 3).words) == ("", "unchanged since the month before")
    assert Trend(3, None).words == "no earlier month to compare"


def test_the_table_puts_those_needing_attention_first(world):
    feb, mar = datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)
    health(world.co_coalition, feb, members_active=6)
    health(world.co_coalition, mar, members_active=3)
    health(world.pe_coalition, mar, members_active=4)
    rows = health_rows(user=world.staff_co)
    assert [row.coalition for row in rows] == [world.co_coalition, world.pe_coalition]
    assert rows[0].flags == ["Lost 3 members"] and rows[0].trends["members_active"].arrow == "▼"
    assert [row.coalition for row in health_rows(user=world.staff_co, countries=[world.pe])] == [world.pe_coalition]
    assert health_rows(user=world.partner_co) == []  # staff-only figures


def grow(world, count: int, period: datetime.date) -> None:
    for index in range(count):
        coalition = Coalition.objects.create(
            initiative=world.co_initiative, name=f"Coalición {index}", level="local", shared_goal="g"
        )
        health(coalition, period, members_active=index)


# The country's page loads its table as a panel (a page of its own without JavaScript).
@pytest.mark.parametrize("url", ["/coalition-health/", "/countries/co/panels/health/"])
def test_the_pages_show_the_table_in_constant_queries(staff_client, world, url):
    period = datetime.date(2026, 3, 1)
    health(world.co_coalition, period - datetime.timedelta(days=28), members_active=9, commitments_overdue=0)
    health(world.co_coalition, period, members_active=2, commitments_overdue=4, last_met_on=None)

    def queries() -> int:
        staff_client.get(url)  # warm: the first request fills the short tables' cache
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(captured)

    few = queries()
    grow(world, 8, period)
    assert queries() == few
    page = staff_client.get(url).content.decode()
    assert "Coalition health" in page and "Lost 7 members" in page and "Has never met" in page
    assert "▼" in page and "down from 9 the month before" in page


def test_the_table_speaks_spanish(staff_client, world):
    period = datetime.date(2026, 3, 1)
    health(world.co_coalition, datetime.date(2026, 2, 1), members_active=9)
    health(world.co_coalition, period, members_active=2, last_met_on=None)
    page = staff_client.get("/coalition-health/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Salud de las coaliciones" in page and "Perdió 7 miembros" in page and "Nunca se ha reunido" in page


def test_the_dashboard_loads_the_table_after_its_first_paint(staff_client, world):
    # A panel of its own (htmx), so the dashboard's queries stay few; without script, a link to it.
    health(world.co_coalition, datetime.date(2026, 3, 1), members_active=2, last_met_on=None)
    dashboard = staff_client.get("/dashboard/").content.decode()
    assert 'hx-get="/coalition-health/"' in dashboard and 'href="/coalition-health/"' in dashboard
    assert "Has never met" not in dashboard
    panel = staff_client.get("/coalition-health/", HTTP_HX_REQUEST="true").content.decode()
    assert "Has never met" in panel and "<html" not in panel
    assert staff_client.get("/coalition-health/").status_code == 200


def test_demo_like_history_runs_through_the_service(world):
    Engagement.objects.create(coalition=world.pe_coalition, occurred_on=MARCH, kind="meeting", title="Otra")
    Commitment.objects.create(coalition=world.co_coalition, owner=world.co_org, description="x", due_on=MARCH)
    Stakeholder.objects.create(country=world.co, name="Nueva", sector="academia", level="local")
    for months_ago in (2, 1, 0):
        coalition_health_snapshots_take(on=MARCH, months_ago=months_ago)
    assert CoalitionHealthSnapshot.objects.filter(coalition=world.co_coalition).count() == 3


def test_the_demo_has_months_of_health_to_compare(world):
    from core import demo

    demo.load()
    months = CoalitionHealthSnapshot.objects.values("period").distinct().count()
    assert months == 6
    assert health_rows(user=world.staff_co)[0].previous is not None  # trends to show on make run
