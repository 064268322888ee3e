"""`bulk_insert`: the rows COPY writes are the rows `bulk_create` would write (COPY on PostgreSQL)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from coalitions.models import Engagement, Membership
from core.bulk import bulk_insert
from core.short_tables import table_version
from outbox.models import Delivery

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 2)


def test_new_rows_get_their_ids_timestamps_nulls_and_empty_strings(world):
    rows = bulk_insert(
        Membership,
        [
            Membership(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=datetime.date(2026, 1, 2)),
            Membership(
                coalition=world.pe_coalition,
                stakeholder=world.co_org,
                joined_on=datetime.date(2025, 5, 1),
                left_on=datetime.date(2026, 1, 1),
                role="champion",
            ),
        ],
    )
    assert all(row.pk is not None and not row._state.adding for row in rows)
    stored = {m.pk: m for m in Membership.objects.filter(pk__in=[row.pk for row in rows])}
    assert stored[rows[0].pk].left_on is None  # NULL, not a failed cast of ""
    assert stored[rows[1].pk].left_on == datetime.date(2026, 1, 1)
    assert stored[rows[1].pk].role == "champion"
    assert stored[rows[0].pk].created_at is not None and stored[rows[0].pk].updated_at is not None


def test_json_text_and_empty_values_round_trip():
    (delivery,) = bulk_insert(
        Delivery,
        [
            Delivery(
                recipient="ana@example.org",
                kind="digest",
                subject='Quote " and, comma',
                body_text="Hello",
                body_html="",
                headers={"List-Id": "explorers", "X-Countries": ["CO", "PE"]},
            )
        ],
    )
    stored = Delivery.objects.get(pk=delivery.pk)
    assert stored.subject == 'Quote " and, comma'
    assert stored.body_html == ""  # an empty text stays empty, it does not become NULL
    assert stored.headers == {"List-Id": "explorers", "X-Countries": ["CO", "PE"]}
    assert stored.sent_at is None and stored.campaign_id is None


def test_a_row_breaking_a_rule_stops_the_insert_before_anything_is_written(world):
    rows = [
        Membership(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=datetime.date(2026, 1, 2)),
        Membership(
            coalition=world.pe_coalition,
            stakeholder=world.co_org,
            joined_on=datetime.date(2026, 1, 2),
            left_on=datetime.date(2025, 1, 1),
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        bulk_insert(Membership, rows)
    assert refused.value.messages == ["A member cannot leave before joining."]
    assert not Membership.objects.filter(stakeholder=world.pe_org, coalition=world.co_coalition).exists()


def test_rows_inserted_in_bulk_change_their_tables_version_as_bulk_create_does(world):
    """A link table's rows (an engagement's participants) are a write to the table of the model that
    declares it: what is kept under that table's version (core.short_tables) is read again."""
    (before,) = table_version(Membership)
    bulk_insert(Membership, [Membership(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=DAY)])
    assert table_version(Membership) != (before,)
    (before,) = table_version(Engagement)
    through = Engagement.participants.through
    bulk_insert(through, [through(engagement_id=world.co_engagement.pk, stakeholder_id=world.co_org.pk)])
    assert table_version(Engagement) != (before,)


def test_a_bulk_update_is_written_in_batches_whose_cost_is_in_proportion_to_the_rows(world, monkeypatch):
    """Django writes a bulk update as one CASE per field with a WHEN per row, which the database
    evaluates for every row it updates: batches keep a big update (the month's snapshots re-run)
    from costing the square of its rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import core.models
    from stakeholders.models import Tag

    monkeypatch.setattr(core.models, "BULK_UPDATE_BATCH", 4)
    tags = Tag.objects.bulk_create([Tag(country=world.co, name=f"tag {n}") for n in range(10)])
    for tag in tags:
        tag.name = tag.name.upper()
    with CaptureQueriesContext(connection) as ran:
        assert Tag.objects.bulk_update(tags, ["name"]) == 10
    updates = [query["sql"] for query in ran.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == 3  # 4 + 4 + 2 rows
    assert sorted(Tag.objects.filter(pk__in=[t.pk for t in tags]).values_list("key", flat=True)) == sorted(
        f"tag {n}" for n in range(10)
    )
