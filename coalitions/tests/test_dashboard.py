"""The dashboard: what needs attention in the user's countries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalitions.models import Commitment, Engagement
from explorers_network.models import Explorer

from .conftest import grow_coalition

pytestmark = pytest.mark.django_db

URL = reverse("coalitions:dashboard")


def test_dashboard_lists_overdue_and_soon_due_commitments_of_my_countries(staff_client, world):
    today = timezone.localdate()
    Commitment.objects.filter(pk=world.co_commitment.pk).update(due_on=today - datetime.timedelta(days=2))
    Commitment.objects.create(
        coalition=world.co_coalition,
        owner=world.co_org,
        description="Install panels",
        due_on=today + datetime.timedelta(days=10),
    )
    Commitment.objects.create(
        coalition=world.co_coalition,
        owner=world.co_org,
        description="Far away",
        due_on=today + datetime.timedelta(days=40),
    )
    Commitment.objects.filter(pk=world.pe_commitment.pk).update(due_on=today)
    response = staff_client.get(URL)
    assert [c.description for c in response.context["overdue"]] == ["Map rooftops"]
    assert [c.description for c in response.context["due_soon"]] == ["Install panels"]
    assert b"Publish budget" not in response.content  # a Peruvian commitment: not my country


def test_dashboard_shows_due_follow_ups_and_latest_engagements(staff_client, world):
    today = timezone.localdate()
    Engagement.objects.filter(pk=world.co_engagement.pk).update(
        follow_up_on=today - datetime.timedelta(days=1), follow_up="Send the minutes"
    )
    response = staff_client.get(URL)
    assert list(response.context["follow_ups"]) == [world.co_engagement]
    assert b"Send the minutes" in response.content
    assert world.co_engagement in response.context["engagements"]
    assert world.pe_engagement not in response.context["engagements"]
    assert world.co_outcome in response.context["outcomes"]


def test_admin_dashboard_covers_every_country(admin_client, world):
    response = admin_client.get(URL)
    assert {world.co_coalition, world.pe_coalition} <= set(response.context["coalitions"])


def test_dashboard_counts_explorers_who_joined_this_month(staff_client, world):
    now = timezone.now()
    for index, country in enumerate(["CO", "CO", "PE", "DE"]):
        Explorer.objects.create(
            name=f"E{index}", email=f"e{index}@example.org", country=country, status="active", confirmed_at=now
        )
    Explorer.objects.create(
        name="Old",
        email="old@example.org",
        country="CO",
        status="active",
        confirmed_at=now - datetime.timedelta(days=70),
    )
    response = staff_client.get(URL)
    assert response.context["explorers"] == {"network": 4, "countries": 2}


def test_partners_signing_in_are_pointed_to_the_api(partner_client, world):
    response = partner_client.get(URL)
    assert response.status_code == 403
    assert b"Coalici" not in response.content


def test_dashboard_query_count_does_not_grow_with_data(staff_client, world, count_queries, django_assert_num_queries):
    small = count_queries(lambda: staff_client.get(URL))
    grow_coalition(world.co_coalition, 30)
    with django_assert_num_queries(small):
        response = staff_client.get(URL)
    assert len(response.context["due_soon"]) > 5


def test_dashboard_counts_participants_and_current_members(staff_client, world):
    grow_coalition(world.co_coalition, 6)
    world.co_coalition.memberships.filter(pk=world.co_coalition.memberships.first().pk).update(
        left_on=timezone.localdate()
    )
    response = staff_client.get(URL)
    coalition = next(c for c in response.context["coalitions"] if c.pk == world.co_coalition.pk)
    assert coalition.members_active == world.co_coalition.memberships.filter(left_on__isnull=True).count()
    assert coalition.members_active < world.co_coalition.memberships.count()
    latest = list(response.context["engagements"])
    assert [e.occurred_on for e in latest] == sorted((e.occurred_on for e in latest), reverse=True)
    assert all(e.participant_count == e.participants.count() for e in latest)
    assert any(e.participant_count == 3 for e in latest)
