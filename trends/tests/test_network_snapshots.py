"""Network snapshots: the network page's figures, one row per scope and month, re-runs update it."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalitions.models import Assessment
from coalitions.network import scope_network
from stakeholders.models import Relationship, Stakeholder
from trends.models import NetworkSnapshot
from trends.services import network_snapshots_take

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def tie(source, target, kind="alliance"):
    return Relationship.objects.create(source=source, target=target, kind=kind)


def test_a_snapshot_keeps_the_figures_the_network_page_shows(world):
    tie(world.co_org, world.co_mayor)
    network_snapshots_take(on=DAY)
    snapshot = NetworkSnapshot.objects.get(country=world.co)
    _colour, network = scope_network(country=world.co, initiative=None, user=world.staff_co)
    assert snapshot.period == datetime.date(2026, 3, 1)
    assert (snapshot.actors, snapshot.ties, snapshot.connected) == (2, 1, 2)
    assert (snapshot.density, snapshot.components) == (network.density, network.components) == (1.0, 1)
    assert [actor["id"] for actor in snapshot.central] == [node.stakeholder.pk for node in network.nodes]
    assert snapshot.connected_ids == sorted([world.co_org.pk, world.co_mayor.pk])


def test_an_initiatives_snapshot_is_of_its_assessed_actors(world):
    tie(world.co_org, world.co_mayor)
    network_snapshots_take(on=DAY)
    snapshot = NetworkSnapshot.objects.get(initiative=world.co_initiative)
    assert snapshot.country is None
    assert (snapshot.actors, snapshot.connected) == (1, 0)  # only the mayor is assessed in it
    assert not NetworkSnapshot.objects.filter(country=world.pe).exists()  # Peru has no tie: no network


def test_taking_it_again_in_the_month_updates_the_months_snapshot(world):
    tie(world.co_org, world.co_mayor)
    network_snapshots_take(on=DAY)
    third = Stakeholder.objects.create(country=world.co, name="Cooperativa Solar", sector="community", level="local")
    tie(third, world.co_mayor, kind="collaboration")
    network_snapshots_take(on=DAY + datetime.timedelta(days=15))
    snapshot = NetworkSnapshot.objects.get(country=world.co)  # still one
    assert (snapshot.actors, snapshot.ties, snapshot.connected) == (3, 2, 3)
    network_snapshots_take(on=datetime.date(2026, 4, 1))
    assert NetworkSnapshot.objects.filter(country=world.co).count() == 2


def test_a_rerun_writes_only_the_networks_that_changed(world):
    tie(world.co_org, world.co_mayor)
    taken = network_snapshots_take(on=DAY)
    before = {row.pk: row.updated_at for row in NetworkSnapshot.objects.all()}
    with CaptureQueriesContext(connection) as captured:
        assert network_snapshots_take(on=DAY) == taken == len(before)
    assert not [q for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert {row.pk: row.updated_at for row in NetworkSnapshot.objects.all()} == before
    third = Stakeholder.objects.create(country=world.co, name="Cooperativa Solar", sector="community", level="local")
    tie(third, world.co_mayor, kind="collaboration")
    network_snapshots_take(on=DAY)
    country = NetworkSnapshot.objects.get(country=world.co)
    assert country.updated_at > before[country.pk] and country.actors == 3
    unchanged = NetworkSnapshot.objects.exclude(pk=country.pk)  # the initiative's: its assessed actors
    assert {row.pk: row.updated_at for row in unchanged} == {pk: at for pk, at in before.items() if pk != country.pk}


def test_a_scope_has_one_snapshot_a_month(world):
    NetworkSnapshot.objects.create(country=world.co, period=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError, match="already has a snapshot for this month"):
        NetworkSnapshot(country=world.co, period=datetime.date(2026, 3, 1)).full_clean()
    with pytest.raises(ValidationError, match="of a country or of an initiative"):
        NetworkSnapshot(country=world.co, initiative=world.co_initiative, period=DAY).full_clean()


def test_snapshotting_reads_in_a_fixed_number_of_queries_per_network(world):
    tie(world.co_org, world.co_mayor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            network_snapshots_take(on=DAY)
        return len(captured)

    first = queries()
    for index in range(5):
        stakeholder = Stakeholder.objects.create(
            country=world.co, name=f"Actor {index}", sector="academia", level="local"
        )
        tie(stakeholder, world.co_org)
        Assessment.objects.create(
            stakeholder=stakeholder,
            initiative=world.co_initiative,
            assessed_on=DAY,
            power=3,
            capabilities=3,
            interest=3,
        )
    assert queries() <= first + 1  # the first run inserted; later ones update (both one statement)


def test_the_command_and_the_monthly_job_take_them(world):
    tie(world.co_org, world.co_mayor)
    call_command("take_snapshots", "--on", "2026-03-05", stdout=io.StringIO())
    assert NetworkSnapshot.objects.filter(period=datetime.date(2026, 3, 1), country=world.co).exists()
    job = settings.CELERY_BEAT_SCHEDULE["trends-snapshots"]
    assert job["task"] == "trends.tasks.snapshots_take"
    assert job["schedule"].day_of_month == {1}
