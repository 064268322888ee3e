"""Coalition list and detail pages."""

import datetime

import pytest
from django.urls import reverse

from coalitions.models import Coalition, Initiative, LearningNote, Membership
from countries.models import Region
from stakeholders.models import Stakeholder

from .conftest import add_coalitions, grow_coalition, page_and_panels

pytestmark = pytest.mark.django_db

LIST = reverse("coalitions:coalition_list")


def test_list_filters_with_the_shared_filterset(staff_client, world):
    response = staff_client.get(LIST, {"q": "guajira"})
    assert list(response.context["page"].object_list) == [world.co_coalition]
    response = staff_client.get(LIST, {"country": world.pe.pk})
    assert list(response.context["page"].object_list) == [world.pe_coalition]
    response = staff_client.get(LIST, {"status": ["active"]})
    assert list(response.context["page"].object_list) == []


def test_list_paginates_and_keeps_filters_in_page_links(staff_client, world):
    add_coalitions(world.co_initiative, 30)
    response = staff_client.get(LIST, {"country": world.co.pk})
    assert response.context["page"].paginator.count == 31
    assert b"country=%d&amp;page=2" % world.co.pk in response.content


def test_list_query_count_is_constant(staff_client, world, count_queries, django_assert_num_queries):
    small = count_queries(lambda: staff_client.get(LIST))
    add_coalitions(world.co_initiative, 60)
    with django_assert_num_queries(small):
        staff_client.get(LIST)


def test_detail_shows_members_with_history_and_links(staff_client, world):
    local = Coalition.objects.create(
        initiative=world.co_initiative,
        name="Coalición Uribia",
        level="local",
        shared_goal="x",
        parent=world.co_coalition,
    )
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=world.pe_org,
        role="observer",
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 1),
    )
    LearningNote.objects.create(coalition=world.pe_coalition, title="Shared lesson", body="b").shared_with.add(
        world.co_coalition
    )
    response = staff_client.get(world.co_coalition.get_absolute_url())
    content = page_and_panels(staff_client, world.co_coalition)
    assert [m.stakeholder for m in response.context["current_members"]] == [world.co_org, world.co_mayor]
    assert [m.stakeholder for m in response.context["past_members"]] == [world.pe_org]
    assert "Solar for Uribia" in content
    assert local.get_absolute_url() in content
    assert "Map rooftops" in content and "Taller Uribia" in content and "Mayor funds solar" in content
    assert "Shared lesson" in content
    assert response.context["coalition"].members_current == 2


def test_detail_query_count_is_constant(staff_client, world, count_queries, django_assert_num_queries, settings):
    url = world.co_coalition.get_absolute_url()
    # One linked local coalition already, so both sizes show the roll-up section (a constant number of queries).
    Coalition.objects.create(
        initiative=world.co_initiative, name="Local", level="local", shared_goal="g", parent=world.co_coalition
    )
    # Former members too, so both tables are drawn.
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=world.pe_org,
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 1),
    )
    small = count_queries(lambda: staff_client.get(url))
    grow_coalition(world.co_coalition, 25)
    add_coalitions(world.co_initiative, 5)
    Coalition.objects.filter(name__startswith="Coalition ").update(parent=world.co_coalition)
    # The writes dropped the kept members tables: the first reader draws them again, the next finds them.
    staff_client.get(url)
    with django_assert_num_queries(small):
        response = staff_client.get(url)
    assert len(response.context["current_members"]) == 27
    # Without the cache, every reader draws the rows (and counts the members): within the budget.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    drawn = count_queries(lambda: staff_client.get(url))
    assert small < drawn <= 8
    assert count_queries(lambda: staff_client.get(url, {"page": 2, "former_page": 2})) == drawn


def test_detail_pages_through_current_and_former_members(staff_client, world):
    people = Stakeholder.objects.bulk_create(
        Stakeholder(country=world.co, name=f"Member {index:03}", sector="media", level="local") for index in range(75)
    )
    start = datetime.date(2024, 1, 1)
    Membership.objects.bulk_create(
        Membership(
            coalition=world.co_coalition,
            stakeholder=person,
            joined_on=start + datetime.timedelta(days=index),
            left_on=datetime.date(2025, 12, 1) if index >= 60 else None,
        )
        for index, person in enumerate(people)
    )
    url = world.co_coalition.get_absolute_url()
    first = staff_client.get(url)
    assert len(first.context["current_members"]) == 50
    assert first.context["members_page"].paginator.num_pages == 2  # 62 current members
    assert first.context["coalition"].members_current == 62
    content = first.content.decode()
    assert "62 current members" in content
    assert "Former members (15)" in content
    assert 'href="?page=2"' in content and 'rel="next"' in content
    second = staff_client.get(url, {"page": 2})
    assert len(second.context["current_members"]) == 12
    shown = [m.stakeholder for m in [*first.context["current_members"], *second.context["current_members"]]]
    assert len(set(shown)) == 62  # every current member once, in order of joining
    assert [m.joined_on for m in first.context["current_members"]] == sorted(
        m.joined_on for m in first.context["current_members"]
    )
    assert len(first.context["past_members"]) == 15
    assert all(m.left_on for m in first.context["past_members"])


def test_detail_member_labels_are_translated(staff_client, world):
    response = staff_client.get(world.co_coalition.get_absolute_url(), headers={"accept-language": "es"})
    membership = response.context["current_members"][0]
    assert membership.role_label == str(membership.get_role_display())
    assert membership.stakeholder.sector_label == str(membership.stakeholder.get_sector_display())


def test_list_offers_the_filters(staff_client, world):
    content = staff_client.get(LIST).content.decode()
    for name in ("q", "country", "initiative", "status", "level"):
        assert f'name="{name}"' in content


def _member_rows(response) -> list[str]:
    """The members tables' rows as the page shows them (the parts coalition_detail.html keeps in the cache)."""
    content = response.content.decode()
    return [part.split("</tbody>")[0] for part in content.split("<tbody>")[1:3]]


def test_detail_member_rows_from_the_cache_equal_a_fresh_rendering_and_follow_every_change(
    staff_client, other_staff_client, world, settings
):
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=world.pe_org,
        role="observer",
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 1),
    )
    url = world.co_coalition.get_absolute_url()
    first = staff_client.get(url)
    assert "End membership" in _member_rows(first)[0]
    kept = staff_client.get(url)
    assert _member_rows(kept) == _member_rows(first)
    # Another user who may not edit gets rows without the edit links.
    assert "End membership" not in _member_rows(other_staff_client.get(url))[0]
    # A renamed member, a changed role and a member's leaving show at once.
    Stakeholder.objects.filter(pk=world.co_org.pk).update(name="Renamed organisation")
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_mayor).update(role="facilitator")
    changed = _member_rows(staff_client.get(url))
    assert "Renamed organisation" in changed[0] and "Facilitator" in changed[0]
    leaving = Membership.objects.get(coalition=world.co_coalition, stakeholder=world.co_mayor)
    Membership.objects.filter(pk=leaving.pk).update(left_on=leaving.joined_on + datetime.timedelta(days=1))
    assert world.co_mayor.name in _member_rows(staff_client.get(url))[1]
    # And what the cache gave is what a rendering without it gives.
    kept = _member_rows(staff_client.get(url))
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _member_rows(staff_client.get(url)) == kept


def _counts(response) -> tuple[int, int]:
    coalition = response.context["coalition"]
    return coalition.members_current, coalition.members_former


def test_detail_member_counts_from_the_cache_follow_every_change_to_the_memberships(staff_client, world, settings):
    url = world.co_coalition.get_absolute_url()
    assert _counts(staff_client.get(url)) == (2, 0)
    assert _counts(staff_client.get(url)) == (2, 0)  # kept
    # Through the page's own form, a bulk write, an update and a delete: each shows at once.
    joining = Stakeholder.objects.create(country=world.co, name="Red Solar", sector="community", level="local")
    response = staff_client.post(
        reverse("coalitions:membership_create", kwargs={"pk": world.co_coalition.pk}),
        {"stakeholder": joining.pk, "role": "member", "joined_on": "2026-01-20"},
    )
    assert response.status_code == 302
    assert _counts(staff_client.get(url)) == (3, 0)
    people = Stakeholder.objects.bulk_create(
        Stakeholder(country=world.co, name=f"Member {index}", sector="media", level="local") for index in range(3)
    )
    Membership.objects.bulk_create(
        Membership(coalition=world.co_coalition, stakeholder=person, joined_on=datetime.date(2026, 1, 2))
        for person in people
    )
    assert _counts(staff_client.get(url)) == (6, 0)
    Membership.objects.filter(stakeholder__in=people).update(left_on=datetime.date(2026, 2, 1))
    assert _counts(staff_client.get(url)) == (3, 3)
    Membership.objects.get(stakeholder=joining, coalition=world.co_coalition).delete()
    kept = _counts(staff_client.get(url))
    assert kept == (2, 3)
    # Another coalition's counts are its own, and what the cache gave is what counting without it gives.
    assert _counts(staff_client.get(world.pe_coalition.get_absolute_url())) == (2, 0)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _counts(staff_client.get(url)) == kept


def _facts(response) -> str:
    """The coalition's facts and shared goal as the page shows them (kept in the cache with the members' rows)."""
    content = response.content.decode()
    return content[content.index('<dl class="facts">') : content.index('<div id="coalition-health"')]


def test_detail_facts_from_the_cache_follow_every_change_and_each_language(staff_client, world, settings):
    url = world.co_coalition.get_absolute_url()
    first = _facts(staff_client.get(url))
    assert "Comunidades Energéticas" in first and "Solar for Uribia" in first and "La Guajira" in first
    assert _facts(staff_client.get(url)) == first  # kept
    assert "Meta compartida" in _facts(staff_client.get(url, headers={"accept-language": "es"}))
    # A renamed initiative, a new shared goal, a region added and a changed status show at once.
    Initiative.objects.filter(pk=world.co_initiative.pk).update(name="Iniciativa renombrada")
    Coalition.objects.filter(pk=world.co_coalition.pk).update(shared_goal="Wind for Uribia", status="dormant")
    world.co_coalition.regions.add(Region.objects.get(code="CO-CES"))
    changed = _facts(staff_client.get(url))
    assert "Iniciativa renombrada" in changed and "Wind for Uribia" in changed and "Cesar" in changed
    assert "Dormant" in changed
    # And what the cache gave is what a rendering without it gives.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _facts(staff_client.get(url)) == changed


def test_the_kept_coalition_follows_a_new_local_coalition_and_who_may_edit(staff_client, other_staff_client, world):
    url = world.co_coalition.get_absolute_url()
    children = reverse("coalitions:coalition_children", kwargs={"pk": world.co_coalition.pk})
    edit = reverse("coalitions:coalition_update", kwargs={"pk": world.co_coalition.pk})
    assert children not in staff_client.get(url).content.decode()
    Coalition.objects.create(
        initiative=world.co_initiative, name="Local", level="local", shared_goal="g", parent=world.co_coalition
    )
    html = staff_client.get(url).content.decode()
    assert children in html and edit in html
    # Another team's reader shares nothing of what the first may change.
    other = other_staff_client.get(url)
    assert other.context["can_edit"] is False and edit not in other.content.decode()
