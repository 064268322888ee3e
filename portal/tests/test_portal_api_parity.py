"""The portal and the API give the same partner the same rows: compared, page by page, for each partner."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coalitions.models import Commitment, Engagement, LearningNote, Membership, Outcome

PARTNERS = ("partner_co", "partner_pe")


@pytest.fixture
def richer_world(world):
    """Rows each side could get wrong: a member who left, another member's commitment, notes shared
    across countries, and Peruvian rows a Colombian partner must not see."""
    Membership.objects.create(
        coalition=world.co_coalition, stakeholder=world.pe_company, joined_on="2025-01-01", left_on="2025-06-01"
    )
    Commitment.objects.create(coalition=world.co_coalition, owner=world.co_mayor, description="Fund two kits")
    Engagement.objects.create(coalition=world.co_coalition, occurred_on="2026-01-20", kind="call", title="Call")
    Outcome.objects.create(coalition=world.pe_coalition, description="Budget discussed", observed_on="2026-01-21")
    LearningNote.objects.create(title="Guajira only", body="x", coalition=world.co_coalition)
    shared = LearningNote.objects.create(title="From Moquegua", body="y", coalition=world.pe_coalition)
    shared.shared_with.set([world.co_coalition])
    LearningNote.objects.create(title="Moquegua only", body="z", coalition=world.pe_coalition)
    return world


def api_ids(user, path: str, **params) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/{path}/", {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def api_rows(user, path: str, **params) -> list[dict]:
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/{path}/", {"page_size": 200, **params}).json()["results"]


def page_ids(client, url: str, section: str, **params) -> list[int]:
    """The ids of the rows the page shows in one section (its `data-section` list)."""
    html = client.get(url, params).content.decode()
    found = re.search(rf'data-section="{section}">(.*?)</ul>', html, re.S)
    return sorted(int(pk) for pk in re.findall(r'data-row="(\d+)"', found.group(1))) if found else []


def part_url(pk: int, section: str) -> str:
    """A part of a coalition's page, which the page loads after its first paint."""
    return reverse("portal:coalition_section", kwargs={"pk": pk, "section": section})


def _client(django_client, user):
    django_client.force_login(user)
    return django_client


@pytest.mark.parametrize("persona", PARTNERS)
def test_the_coalitions_are_the_apis(richer_world, client, persona):
    user = getattr(richer_world, persona)
    portal = page_ids(_client(client, user), reverse("portal:home"), "coalitions")
    assert portal == api_ids(user, "coalitions") and portal


@pytest.mark.parametrize("persona", PARTNERS)
def test_each_coalition_page_shows_the_apis_rows(richer_world, client, persona):
    user = getattr(richer_world, persona)
    client = _client(client, user)
    coalition_ids = api_ids(user, "coalitions")
    notes = api_rows(user, "learning-notes")
    for pk in coalition_ids:
        url = reverse("portal:coalition_detail", kwargs={"pk": pk})
        assert page_ids(client, url, "members") == api_ids(user, "memberships", coalition=pk, is_open="true")
        assert page_ids(client, part_url(pk, "plan"), "plan") == api_ids(user, "commitments", coalition=pk)
        assert page_ids(client, part_url(pk, "engagements"), "engagements") == api_ids(
            user, "engagements", coalition=pk
        )
        assert page_ids(client, part_url(pk, "outcomes"), "outcomes") == api_ids(user, "outcomes", coalition=pk)
        # The coalition's own notes and those shared with it, as the API lists them to this partner.
        shared = sorted(note["id"] for note in notes if note["coalition"] == pk or pk in note["shared_with"])
        assert page_ids(client, part_url(pk, "notes"), "notes") == shared and shared


@pytest.mark.parametrize("persona", PARTNERS)
def test_the_commitments_page_is_the_apis_commitments_of_the_organisation(richer_world, client, persona):
    user = getattr(richer_world, persona)
    portal = page_ids(_client(client, user), reverse("portal:commitment_list"), "commitments")
    assert portal == api_ids(user, "commitments", owner=user.organisation_id) and portal


@pytest.mark.parametrize("persona", PARTNERS)
def test_the_learning_page_is_the_apis_learning_notes(richer_world, client, persona):
    user = getattr(richer_world, persona)
    portal = page_ids(_client(client, user), reverse("portal:learningnote_list"), "notes")
    assert portal == api_ids(user, "learning-notes") and portal


def test_the_pages_see_what_the_api_filters_see(richer_world, client):
    """The portal's filters are the API's FilterSets: the same search gives the same rows."""
    user = richer_world.partner_co
    portal = page_ids(_client(client, user), reverse("portal:learningnote_list"), "notes", q="Moquegua")
    assert (
        portal == api_ids(user, "learning-notes", q="Moquegua") == [LearningNote.objects.get(title="From Moquegua").pk]
    )
