"""Coalition list and detail pages."""

import datetime

import pytest
from django.urls import reverse

from coalitions.models import Coalition, LearningNote, Membership

from .conftest import add_coalitions, grow_coalition

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


def test_detail_shows_members_by_sector_with_history_and_links(staff_client, world):
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
    content = response.content.decode()
    assert [m.stakeholder for m in response.context["current_members"]] == [world.co_org, world.co_mayor]
    assert [m.stakeholder for m in response.context["past_members"]] == [world.pe_org]
    assert "Solar for Uribia" in content
    assert local.get_absolute_url() in content
    assert "Map rooftops" in content and "Taller Uribia" in content and "Mayor funds solar" in content
    assert "Shared lesson" in content
    assert response.context["health"].members_active == 2


def test_detail_query_count_is_constant(staff_client, world, count_queries, django_assert_num_queries):
    url = world.co_coalition.get_absolute_url()
    small = count_queries(lambda: staff_client.get(url))
    grow_coalition(world.co_coalition, 25)
    add_coalitions(world.co_initiative, 5)
    Coalition.objects.filter(name__startswith="Coalition ").update(parent=world.co_coalition)
    with django_assert_num_queries(small):
        response = staff_client.get(url)
    assert len(response.context["current_members"]) == 27


def test_list_offers_the_filters(staff_client, world):
    content = staff_client.get(LIST).content.decode()
    for name in ("q", "country", "initiative", "status", "level"):
        assert f'name="{name}"' in content
