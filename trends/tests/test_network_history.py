"""The network history page: charts of the snapshots, who became connected, staff only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stakeholders.models import Relationship, Stakeholder
from trends.models import NetworkSnapshot

pytestmark = pytest.mark.django_db

URL = "/network/history/"


def snapshot(world, month: int, connected: list[Stakeholder], density=0.5):
    return NetworkSnapshot.objects.create(
        country=world.co,
        period=datetime.date(2026, month, 1),
        actors=len(connected),
        connected=len(connected),
        density=density,
        components=1,
        central=[{"id": s.pk, "name": s.name, "degree": 1, "betweenness": 0.1 * month} for s in connected],
        connected_ids=sorted(s.pk for s in connected),
    )


def test_the_page_charts_the_snapshots_and_names_who_became_connected(staff_client, world):
    snapshot(world, 1, [world.co_org])
    snapshot(world, 2, [world.co_org, world.co_mayor], density=0.8)
    response = staff_client.get(URL, {"country": world.co.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart"') == 4  # density, groups, connected actors, central actors
    assert response.context["newly_connected"] == [world.co_mayor]
    assert "February 2026" in page


def test_an_initiatives_history_is_its_own(staff_client, world):
    snapshot(world, 1, [world.co_org])
    response = staff_client.get(URL, {"initiative": world.co_initiative.pk})
    assert response.context["snapshots"] == []
    assert "No snapshot of this network yet" in response.content.decode()


def test_partners_get_the_staff_gate_and_unknown_scopes_a_404(partner_client, staff_client, world):
    assert partner_client.get(URL).status_code == 403
    assert partner_client.post("/snapshots/take/").status_code == 403
    assert staff_client.get(URL, {"initiative": 999999}).status_code == 404


def test_the_query_count_does_not_grow_with_the_snapshots(staff_client, world):
    people = [world.co_org, world.co_mayor]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL, {"country": world.co.pk}).status_code == 200
        return len(captured)

    snapshot(world, 1, people[:1])
    snapshot(world, 2, people)
    few = queries()
    for month in range(3, 10):
        extra = Stakeholder.objects.create(country=world.co, name=f"Actor {month}", sector="academia", level="local")
        people.append(extra)
        snapshot(world, month, people)
    assert queries() == few


def test_the_button_takes_this_months_snapshots(staff_client, world, django_capture_on_commit_callbacks):
    Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/snapshots/take/", {"country": world.co.pk})
    assert response.status_code == 302 and response["Location"] == f"{URL}?country={world.co.pk}"
    assert NetworkSnapshot.objects.filter(country=world.co).count() == 1
    assert staff_client.get("/snapshots/take/").status_code == 405


def test_the_page_speaks_spanish(staff_client, world):
    snapshot(world, 1, [world.co_org])
    page = staff_client.get(URL, {"country": world.co.pk}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Historia de la red" in page and "Actores conectados" in page
