import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from coalitions.models import Assessment, Coalition, Engagement, Initiative, Membership
from core.management.commands.seed_scale import seed_scale, volumes
from explorers_network.models import Explorer
from stakeholders.models import Stakeholder


def test_volumes_at_the_benchmark_scale_are_those_of_the_issue():
    counts = volumes(50_000)

    assert counts["coalitions"] == 2_000
    assert counts["memberships"] == 100_000
    assert counts["engagements"] == 100_000
    assert counts["assessments"] == 20_000
    assert counts["explorers"] == 20_000
    assert counts["big_coalition_members"] == 5_000


def test_volumes_scale_with_the_number_of_stakeholders():
    assert volumes(500) == {name: max(1, count // 100) for name, count in volumes(50_000).items()} | {
        "initiatives": 3,  # at least one per country
        "stakeholders": 500,
    }


@pytest.mark.django_db
def test_a_tiny_seed_creates_proportional_row_counts():
    call_command("seed_scale", "--stakeholders", "500", stdout=io.StringIO())

    assert Stakeholder.objects.count() == 500
    assert Coalition.objects.count() == 20
    assert Initiative.objects.count() == 3
    assert Membership.objects.count() == 1_000
    assert Engagement.objects.count() == 1_000
    assert Assessment.objects.count() == 200
    assert Explorer.objects.count() == 200
    assert Explorer.objects.filter(status="active", preferred_language="es").count() == 100  # a campaign's audience
    assert Coalition.objects.order_by("pk").first().memberships.count() == 50  # the "big" coalition, scaled
    # Every stakeholder acts in one region of its own country; members share the coalition's country.
    regions = Stakeholder.regions.through.objects
    assert regions.count() == 500
    assert not regions.exclude(region__country=F("stakeholder__country")).exists()
    assert not Membership.objects.exclude(stakeholder__country=F("coalition__initiative__country")).exists()


@pytest.mark.django_db
def test_the_fixed_seed_makes_the_data_reproducible():
    def snapshot():
        return (
            list(Stakeholder.objects.order_by("name").values_list("name", "sector", "country__code", "kind")),
            sorted(Membership.objects.values_list("coalition__name", "stakeholder__name", "role", "joined_on")),
            sorted(Assessment.objects.values_list("stakeholder__name", "initiative__name", "assessed_on", "stance")),
        )

    seed_scale(stakeholders=200)
    first = snapshot()
    for model in (Assessment, Membership, Engagement, Coalition, Initiative, Explorer):
        model.objects.all().delete()
    Stakeholder.objects.update(organisation=None)
    Stakeholder.objects.all().delete()
    seed_scale(stakeholders=200)

    assert snapshot() == first


@pytest.mark.django_db
def test_seeding_refuses_a_database_that_already_has_stakeholders(world):
    with pytest.raises(CommandError, match="expects an empty one"):
        call_command("seed_scale", "--stakeholders", "10")


@pytest.mark.django_db
def test_the_synthetic_benchmark_rows_are_not_recorded_in_the_history():
    from core.models import ObjectChange

    seed_scale(stakeholders=300)
    assert not ObjectChange.objects.exists()


def _definitions(tables: list[str]) -> set[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        # An index's columns, method, uniqueness and condition (re-created from pg_get_indexdef, a
        # condition on an array is printed back with its casts in another place: the same condition).
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, concat_ws(' ', am.amname, i.indisunique, i.indkey::text,
                   pg_get_indexdef(i.indexrelid, 0, true) LIKE '%%WHERE%%',
                   regexp_replace(split_part(pg_get_indexdef(i.indexrelid), ' WHERE ', 1), '^.* USING ', ''))
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            WHERE i.indrelid = ANY(%s::regclass[])
            """,
            [tables],
        )
        found = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return found | set(cursor.fetchall())


@pytest.mark.django_db
def test_the_command_leaves_every_index_and_constraint_as_the_migrations_left_them():
    from django.db import connection

    from core.management.commands.seed_scale import seeded_tables

    if connection.vendor != "postgresql":
        pytest.skip("indexes are built after the rows on PostgreSQL only")
    tables = seeded_tables()
    assert "stakeholders_stakeholder" in tables and "coalitions_engagement_participants" in tables
    before = _definitions(tables)
    assert any("trgm" in definition for _name, definition in before)  # the search's GIN indexes among them

    call_command("seed_scale", "--stakeholders", "300", stdout=io.StringIO())

    assert _definitions(tables) == before
    assert Membership.objects.exists() and Stakeholder.objects.count() == 300
