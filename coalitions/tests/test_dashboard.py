"""The dashboard: what needs attention in the user's countries."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalitions.models import Commitment, Engagement
from explorers_network.models import Explorer

from .conftest import grow_coalition

pytestmark = pytest.mark.django_db

URL = reverse("coalitions:dashboard")
COALITIONS_PANEL = reverse("coalitions:dashboard_coalitions")
LATEST_PANEL = reverse("coalitions:dashboard_latest")


def cold_count(client, url, world) -> int:
    """The queries of the first request after a write to the commitments, which drops what is kept of them."""
    Commitment.objects.filter(pk=world.co_commitment.pk).update(evidence=f"checked {uuid.uuid4()}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


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
    response = staff_client.get(LATEST_PANEL)
    assert world.co_engagement in response.context["engagements"]
    assert world.pe_engagement not in response.context["engagements"]
    assert world.co_outcome in response.context["outcomes"]


def test_admin_dashboard_covers_every_country(admin_client, world):
    response = admin_client.get(COALITIONS_PANEL)
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


@pytest.mark.parametrize("url", [URL, COALITIONS_PANEL, LATEST_PANEL])
def test_dashboard_and_its_panels_stay_within_eight_queries_whatever_the_data(
    staff_client, world, count_queries, django_assert_num_queries, url
):
    small, small_cold = count_queries(lambda: staff_client.get(url)), cold_count(staff_client, url, world)
    assert small <= small_cold <= 8
    grow_coalition(world.co_coalition, 30)
    assert cold_count(staff_client, url, world) == small_cold
    with django_assert_num_queries(small):
        staff_client.get(url)


def test_dashboard_query_count_does_not_grow_with_data(staff_client, world, count_queries, django_assert_num_queries):
    small, small_cold = count_queries(lambda: staff_client.get(URL)), cold_count(staff_client, URL, world)
    grow_coalition(world.co_coalition, 30)
    assert cold_count(staff_client, URL, world) == small_cold
    with django_assert_num_queries(small):
        response = staff_client.get(URL)
    assert len(response.context["due_soon"]) > 5


def test_dashboard_loads_its_secondary_panels_after_its_first_paint(staff_client, world):
    # Pages of their own (htmx), so the dashboard's queries stay few; without script, a link to each.
    html = staff_client.get(URL).content.decode()
    for panel in (COALITIONS_PANEL, LATEST_PANEL):
        assert f'hx-get="{panel}"' in html and f'href="{panel}"' in html
    assert world.co_outcome.description[:40] not in html


@pytest.mark.parametrize("url", [COALITIONS_PANEL, LATEST_PANEL])
def test_a_dashboard_panel_is_a_page_without_script_and_the_bare_panel_for_htmx(staff_client, world, url):
    page = staff_client.get(url)
    assert b"<html" in page.content and b"<h1>" in page.content
    panel = staff_client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in panel.content and b"<h2" in panel.content


def test_a_shown_card_changes_when_a_row_it_shows_changes(staff_client, world):
    # The cards are cached under a key of their rows' values: an edit is seen at once.
    today = timezone.localdate()
    Commitment.objects.filter(pk=world.co_commitment.pk).update(due_on=today - datetime.timedelta(days=2))
    assert b"Map rooftops" in staff_client.get(URL).content
    Commitment.objects.filter(pk=world.co_commitment.pk).update(description="Map every rooftop")
    assert b"Map every rooftop" in staff_client.get(URL).content
    world.co_coalition.name = "Coalición Renombrada"
    world.co_coalition.save()
    assert "Coalición Renombrada" in staff_client.get(URL).content.decode()
    assert "Coalición Renombrada" in staff_client.get(COALITIONS_PANEL).content.decode()


def test_partners_get_no_dashboard_panel(partner_client, world):
    for url in (COALITIONS_PANEL, LATEST_PANEL):
        assert partner_client.get(url).status_code == 403


def test_dashboard_counts_participants_and_current_members(staff_client, world):
    grow_coalition(world.co_coalition, 6)
    world.co_coalition.memberships.filter(pk=world.co_coalition.memberships.first().pk).update(
        left_on=timezone.localdate()
    )
    response = staff_client.get(COALITIONS_PANEL)
    coalition = next(c for c in response.context["coalitions"] if c.pk == world.co_coalition.pk)
    assert coalition.members_active == world.co_coalition.memberships.filter(left_on__isnull=True).count()
    assert coalition.members_active < world.co_coalition.memberships.count()
    latest = list(staff_client.get(LATEST_PANEL).context["engagements"])
    assert [e.occurred_on for e in latest] == sorted((e.occurred_on for e in latest), reverse=True)
    assert all(e.participant_count == e.participants.count() for e in latest)
    assert any(e.participant_count == 3 for e in latest)


def test_kept_cards_follow_every_write_they_show_and_are_never_shared_between_teams(
    staff_client, other_staff_client, world, count_queries
):
    today = timezone.localdate()
    Commitment.objects.filter(pk=world.co_commitment.pk).update(due_on=today - datetime.timedelta(days=2))
    Commitment.objects.filter(pk=world.pe_commitment.pk).update(due_on=today)
    cold, warm = cold_count(staff_client, URL, world), count_queries(lambda: staff_client.get(URL))
    assert warm == cold - 2  # kept: the commitments and follow-ups are not read again
    # Each team sees its own countries' cards, whoever asked first.
    assert b"Map rooftops" in staff_client.get(URL).content
    peru = other_staff_client.get(URL).content
    assert b"Publish budget" in peru and b"Map rooftops" not in peru
    # A write to any table the cards show is seen at once: the owner, the commitment, the day's status.
    world.co_org.name = "Organización Renombrada"
    world.co_org.save()
    assert "Organización Renombrada" in staff_client.get(URL).content.decode()
    Commitment.objects.filter(pk=world.co_commitment.pk).update(status=Commitment.Status.DONE)
    assert b"Map rooftops" not in staff_client.get(URL).content
    Engagement.objects.filter(pk=world.co_engagement.pk).update(follow_up_on=today, follow_up="Call the mayor again")
    assert b"Call the mayor again" in staff_client.get(URL).content
