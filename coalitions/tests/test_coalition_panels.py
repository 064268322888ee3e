"""The panels a coalition's page loads after its first paint: health, action plan, records, local coalitions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalitions.models import Coalition, Engagement, LearningNote
from stakeholders.models import Stakeholder

from .conftest import COALITION_PANELS, add_coalitions, coalition_panel_url, grow_coalition

pytestmark = pytest.mark.django_db


def test_the_page_loads_its_panels_after_its_first_paint_and_links_them_without_script(staff_client, world):
    Coalition.objects.create(
        initiative=world.co_initiative, name="Local", level="local", shared_goal="g", parent=world.co_coalition
    )
    html = staff_client.get(world.co_coalition.get_absolute_url()).content.decode()
    for name in COALITION_PANELS:
        url = coalition_panel_url(name, world.co_coalition)
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    # The panels' rows are theirs, not the page's.
    assert "Map rooftops" not in html and "Taller Uribia" not in html and "Mayor funds solar" not in html


def test_a_coalition_without_local_coalitions_loads_no_children_panel(staff_client, world):
    html = staff_client.get(world.co_coalition.get_absolute_url()).content.decode()
    assert coalition_panel_url("children", world.co_coalition) not in html


@pytest.mark.parametrize("name", COALITION_PANELS)
def test_a_panel_is_a_page_of_its_own_and_bare_for_htmx(staff_client, world, name):
    page = staff_client.get(coalition_panel_url(name, world.co_coalition)).content.decode()
    assert "<html" in page and world.co_coalition.name in page
    panel = staff_client.get(coalition_panel_url(name, world.co_coalition), headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "<html" not in panel.content.decode()


@pytest.mark.parametrize("name", COALITION_PANELS)
def test_a_panel_of_a_missing_coalition_is_404(staff_client, world, name):
    missing = Coalition(pk=999_999)
    assert staff_client.get(coalition_panel_url(name, missing)).status_code == 404


@pytest.mark.parametrize("name", COALITION_PANELS)
def test_partners_and_anonymous_visitors_get_no_panel(client, partner_client, world, name):
    url = coalition_panel_url(name, world.co_coalition)
    assert partner_client.get(url).status_code == 403  # even of their own coalition: the portal is theirs
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_health_panel_shows_the_figures(staff_client, world):
    panel = staff_client.get(coalition_panel_url("health", world.co_coalition), headers={"HX-Request": "true"})
    assert panel.context["health"] == world.co_coalition.health()
    assert "Active members" in panel.content.decode()


def test_the_plan_and_records_panels_carry_edit_links_only_for_those_who_may_change_them(
    staff_client, other_staff_client, world
):
    for name, edit_url in (
        ("plan", f"/commitments/{world.co_commitment.pk}/edit/"),
        ("records", f"/outcomes/{world.co_outcome.pk}/edit/"),
    ):
        url = coalition_panel_url(name, world.co_coalition)
        assert edit_url in staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
        other = other_staff_client.get(url, headers={"HX-Request": "true"})
        assert other.status_code == 200 and edit_url not in other.content.decode()


def test_the_children_panel_lists_the_local_coalitions(staff_client, world):
    local = Coalition.objects.create(
        initiative=world.co_initiative,
        name="Coalición Uribia",
        level="local",
        shared_goal="g",
        parent=world.co_coalition,
    )
    panel = staff_client.get(coalition_panel_url("children", world.co_coalition), headers={"HX-Request": "true"})
    assert local.get_absolute_url() in panel.content.decode()


def grow_records(world, count: int) -> None:
    """More of everything the panels list: members, commitments, engagements, outcomes, notes, local coalitions."""
    grow_coalition(world.co_coalition, count)
    add_coalitions(world.co_initiative, count)
    Coalition.objects.filter(name__startswith="Coalition ").update(parent=world.co_coalition)


@pytest.mark.parametrize("name", COALITION_PANELS)
def test_each_panel_stays_within_eight_queries_whatever_the_coalition_holds(
    staff_client, world, count_queries, django_assert_num_queries, name
):
    url = coalition_panel_url(name, world.co_coalition)
    Coalition.objects.create(
        initiative=world.co_initiative, name="Local", level="local", shared_goal="g", parent=world.co_coalition
    )
    small = count_queries(lambda: staff_client.get(url, headers={"HX-Request": "true"}))
    assert small <= 8
    grow_records(world, 6)
    # The writes dropped what a panel keeps (the health figures): read again, within the budget too.
    with CaptureQueriesContext(connection) as cold:
        staff_client.get(url, headers={"HX-Request": "true"})
    assert len(cold) <= 8
    with django_assert_num_queries(small):
        staff_client.get(url, headers={"HX-Request": "true"})


def _records(client, world) -> str:
    response = client.get(coalition_panel_url("records", world.co_coalition), headers={"HX-Request": "true"})
    return response.content.decode()


def test_the_kept_records_panel_equals_a_fresh_rendering_and_follows_every_change(
    staff_client, other_staff_client, world, settings
):
    first = _records(staff_client, world)
    assert "Taller Uribia" in first and "Mayor funds solar" in first
    assert _records(staff_client, world) == first  # kept
    # Another reader who may not edit gets the panel without its edit links.
    assert f"/outcomes/{world.co_outcome.pk}/edit/" not in _records(other_staff_client, world)
    # A new engagement, a new participant, a renamed actor and a note shared with the coalition show at once.
    Engagement.objects.create(
        coalition=world.co_coalition, occurred_on=datetime.date(2026, 2, 1), kind="call", title="Llamada nueva"
    )
    world.co_engagement.participants.add(world.co_org)
    world.co_outcome.actors.add(world.co_mayor)
    Stakeholder.objects.filter(pk=world.co_mayor.pk).update(name="Alcaldía renombrada")
    note = LearningNote.objects.create(title="Lo aprendido", body="b", coalition=world.pe_coalition)
    note.shared_with.add(world.co_coalition)
    changed = _records(staff_client, world)
    assert "Llamada nueva" in changed and "Alcaldía renombrada" in changed and "Lo aprendido" in changed
    assert "1 participant" in changed
    # And what the cache gave is what a rendering without it gives.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _records(staff_client, world) == changed
