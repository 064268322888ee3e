"""The hot lists are built from `.values()` rows for speed; a client must not see the difference."""

import datetime

import pytest
from rest_framework.test import APIClient

from coalitions.models import Assessment, Membership
from core import short_tables
from stakeholders.models import Stakeholder


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def every_row(client, url: str) -> list[dict]:
    rows = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("persona", ["staff_co", "partner_co", "admin"])
def test_each_member_row_is_what_the_membership_detail_answers(world, persona):
    past = Stakeholder.objects.create(country=world.co, name="Ex miembro", sector="media", level="local")
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=past,
        role="observer",
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 30),
    )
    client = api(getattr(world, persona))
    coalition = world.co_coalition.pk
    for url in (f"/api/v1/memberships/?coalition={coalition}&page_size=2", "/api/v1/memberships/?mode=cursor"):
        rows = every_row(client, url)
        assert {row["stakeholder"] for row in rows} >= {world.co_org.pk, world.co_mayor.pk}
        for row in rows:
            assert row == client.get(f"/api/v1/memberships/{row['id']}/").json()
    ended = next(row for row in rows if row["left_on"])
    assert (ended["left_on"], ended["coalition_brief"]["name"]) == ("2025-06-30", "Coalición La Guajira")
    if persona == "partner_co":  # a former member is no longer the partner's to see: null, as in the detail
        assert ended["stakeholder"] is None and ended["stakeholder_brief"] is None
    else:
        assert ended["stakeholder_brief"]["name"] == "Ex miembro"


def test_a_coalitions_members_come_in_join_date_order_past_members_included(staff_api, world):
    early = Stakeholder.objects.create(country=world.co, name="Zeta", sector="media", level="local")
    Membership.objects.create(
        coalition=world.co_coalition, stakeholder=early, joined_on=datetime.date(2020, 1, 1), left_on="2021-01-01"
    )
    rows = staff_api.get(f"/api/v1/memberships/?coalition={world.co_coalition.pk}").json()["results"]
    assert rows[0]["stakeholder"] == early.pk
    assert [row["joined_on"] for row in rows] == sorted(row["joined_on"] for row in rows)


def test_each_row_of_the_initiative_map_is_what_the_assessment_detail_answers(staff_api, world):
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 2, 1),
        power=2,
        capabilities=2,
        interest=5,
        stance=1,
        rationale="Lidera la mesa",
        assessed_by=world.staff_co,
    )
    rows = staff_api.get(f"/api/v1/initiatives/{world.co_initiative.pk}/map/").json()
    assert len(rows) == 2
    assert [row["stakeholder_brief"]["name"] for row in rows] == sorted(
        row["stakeholder_brief"]["name"] for row in rows
    )
    for row in rows:
        assert row.pop("movement") is None  # without `since`, nothing to compare with
        assert row == staff_api.get(f"/api/v1/assessments/{row['id']}/").json()
    assert {row["assessed_by"] for row in rows} == {None, world.staff_co.pk}


def test_listing_assessments_costs_the_same_queries_whoever_wrote_them(staff_api, world, django_assert_num_queries):
    for day in range(1, 4):
        Assessment.objects.create(
            stakeholder=world.co_org,
            initiative=world.co_initiative,
            assessed_on=datetime.date(2026, 1, day),
            power=1,
            capabilities=1,
            interest=1,
            assessed_by=world.staff_co,
        )
    staff_api.get("/api/v1/assessments/?page_size=1")
    with django_assert_num_queries(1):  # the page (its total kept from the first), not one more per author
        rows = staff_api.get("/api/v1/assessments/?page_size=100").json()["results"]
    assert [row["assessed_by"] for row in rows].count(world.staff_co.pk) == 3
    short_tables.table_changed(Assessment)  # as a write does: the total is counted again
    with django_assert_num_queries(2):
        staff_api.get("/api/v1/assessments/?page_size=100")
