"""`bulk_insert`: the rows COPY writes are the rows `bulk_create` would write (COPY on PostgreSQL)."""

import datetime

import pytest

from coalitions.models import Membership
from core.bulk import bulk_insert
from explorers_network.models import Campaign

pytestmark = pytest.mark.django_db


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
    (campaign,) = bulk_insert(
        Campaign, [Campaign(subject='Quote " and, comma', body="", audience_countries=["CO", "PE"])]
    )
    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.subject == 'Quote " and, comma'
    assert stored.body == ""  # an empty text stays empty, it does not become NULL
    assert stored.audience_countries == ["CO", "PE"]
    assert stored.scheduled_for is None and stored.created_by_id is None
