import datetime

import pytest

from coalitions.models import Coalition, Commitment, Engagement, Membership

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
