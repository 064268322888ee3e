import datetime

import pytest
from django.utils import timezone

from coalitions.models import Coalition, CoalitionHealth, Commitment, Engagement, Membership
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_health_counts_open_members_and_their_sectors(world):
    Membership.objects.create(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=TODAY, left_on=TODAY)
    health = world.co_coalition.health(today=TODAY)
    assert health.members_active == 2  # the member who left is not counted
    assert health.sectors_represented == 2  # civil society and subnational government


def test_health_counts_done_and_overdue_commitments(world):
    Commitment.objects.filter(pk=world.co_commitment.pk).update(status="done")
    Commitment.objects.create(
        coalition=world.co_coalition, owner=world.co_org, description="late", due_on=TODAY - datetime.timedelta(days=1)
    )
    Commitment.objects.create(
        coalition=world.co_coalition,
        owner=world.co_org,
        description="dropped and late",
        due_on=TODAY - datetime.timedelta(days=1),
        status="dropped",
    )
    health = world.co_coalition.health(today=TODAY)
    assert (health.commitments_done, health.commitments_overdue, health.commitments_open) == (1, 1, 1)


def test_health_counts_engagements_of_the_last_90_days_only(world):
    for days_ago in (0, 89, 90, 200):
        Engagement.objects.create(
            coalition=world.co_coalition,
            occurred_on=TODAY - datetime.timedelta(days=days_ago),
            kind="call",
            title=f"{days_ago} days ago",
        )
    assert world.co_coalition.health(today=TODAY).engagements_last_90_days == 2


def test_health_takes_one_query_whatever_the_size(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        world.co_coalition.health(today=TODAY)


def test_health_annotated_on_a_list_costs_no_query_and_gives_the_same_figures(world, django_assert_num_queries):
    Membership.objects.create(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=TODAY, left_on=None)
    Commitment.objects.filter(pk=world.co_commitment.pk).update(status="done")
    expected = {c.pk: c.health() for c in Coalition.objects.all()}
    coalitions = list(Coalition.objects.with_health())
    with django_assert_num_queries(0):
        assert {c.pk: c.health() for c in coalitions} == expected
    assert expected[world.co_coalition.pk].members_active == 3
    assert expected[world.co_coalition.pk].sectors_represented == 2


def _end_membership_on_the_page(world, client):
    membership = Membership.objects.get(coalition=world.co_coalition, stakeholder=world.co_mayor)
    response = client.post(f"/memberships/{membership.pk}/end/", {"left_on": "2026-05-01"})
    assert response.status_code == 302


def _add_member_through_the_api(world, api):
    newcomer = Stakeholder.objects.create(country=world.co, name="Newcomer", sector="academia", level="local")
    body = {"coalition": world.co_coalition.pk, "stakeholder": newcomer.pk, "joined_on": "2026-05-01"}
    assert api.post("/api/v1/memberships/", body, format="json").status_code == 201


def _mark_done_on_the_page(world, client):
    assert client.post(f"/commitments/{world.co_commitment.pk}/done/").status_code == 302


def _merge_a_member_away(world, client):
    from stakeholders.services import stakeholder_merge

    twin = Stakeholder.objects.create(
        country=world.co, name="Twin", sector=Stakeholder.Sector.SUBNATIONAL_GOVERNMENT, level="local"
    )
    stakeholder_merge(keep=twin, remove=world.co_org, user=world.admin)


def _seed_members_in_bulk(world, client):
    from core.bulk import bulk_insert

    newcomer = Stakeholder.objects.create(country=world.co, name="Newcomer", sector="academia", level="local")
    bulk_insert(Membership, [Membership(coalition=world.co_coalition, stakeholder=newcomer, joined_on=TODAY)])


#: Each way a figure of the health changes: a model save, a page, the API, a service, the bulk writes
#: (`update()`, `bulk_create()`, `bulk_insert()` of seed_scale), deletes and cascades.
HEALTH_WRITES = {
    "member added": lambda world, client: Membership.objects.create(
        coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=TODAY
    ),
    "member ended on the page": _end_membership_on_the_page,
    "member added through the API": lambda world, client: _add_member_through_the_api(world, client.api),
    "member's sector changed": lambda world, client: Stakeholder.objects.filter(pk=world.co_mayor.pk).update(
        sector=Stakeholder.Sector.CIVIL_SOCIETY
    ),
    "member merged into another": _merge_a_member_away,
    "member deleted (cascade)": lambda world, client: world.co_mayor.delete(),
    "members written in bulk": _seed_members_in_bulk,
    "engagement logged": lambda world, client: Engagement.objects.bulk_create(
        [Engagement(coalition=world.co_coalition, occurred_on=timezone.localdate(), kind="call", title="Call")]
    ),
    "engagement deleted": lambda world, client: world.co_engagement.delete(),
    "commitment marked done on the page": _mark_done_on_the_page,
    "commitment overdue": lambda world, client: Commitment.objects.filter(pk=world.co_commitment.pk).update(
        due_on=datetime.date(2026, 1, 1)
    ),
}


@pytest.fixture
def writer(staff_client, staff_api):
    staff_client.api = staff_api
    return staff_client


@pytest.mark.parametrize("write", HEALTH_WRITES.values(), ids=HEALTH_WRITES.keys())
def test_kept_health_figures_follow_every_write(world, writer, write, django_capture_on_commit_callbacks):
    # An engagement in the last 90 days, whatever today is, for a delete to change.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Engagement.objects.filter(pk=world.co_engagement.pk).update(occurred_on=yesterday)
    before = world.co_coalition.health()
    with django_capture_on_commit_callbacks(execute=True):
        write(world, writer)
    coalition = Coalition.objects.get(pk=world.co_coalition.pk)
    counted = coalition.counted_health(timezone.localdate())
    assert coalition.health() == CoalitionHealth(**counted) != before


def test_health_is_kept_for_the_day_and_read_again_the_next(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert world.co_coalition.health(today=TODAY).members_active == 2
    with django_assert_num_queries(0):
        assert world.co_coalition.health(today=TODAY).members_active == 2
    with django_assert_num_queries(1):
        world.co_coalition.health(today=TODAY + datetime.timedelta(days=1))
    with django_assert_num_queries(1):  # another coalition, its own figures
        assert world.pe_coalition.health(today=TODAY).members_active == 2


def test_kept_health_equals_the_counted_figures(world):
    """The seam: what the cache keeps is what `with_health` counts, for the page, the API and the snapshots."""
    Membership.objects.create(coalition=world.co_coalition, stakeholder=world.pe_org, joined_on=TODAY)
    for coalition in Coalition.objects.with_health(TODAY):
        counted = Coalition.objects.get(pk=coalition.pk).counted_health(TODAY)
        assert coalition.health(today=TODAY) == CoalitionHealth(**counted)
        assert counted == {name: getattr(coalition, f"health_{name}") for name in CoalitionHealth.names()}
