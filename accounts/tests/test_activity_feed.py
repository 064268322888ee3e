"""The activity feed: each country team sees the changes of its countries' records; admins see all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history.context import history_context

pytestmark = pytest.mark.django_db

URL = "/activity/"


def rename(obj, name: str, user) -> None:
    with history_context(channel="page", actor=user):
        obj.name = name
        obj.save()


def test_staff_see_only_the_changes_of_their_countries(world, staff_client, other_staff_client):
    rename(world.co_coalition, "Coalición Guajira Solar", world.staff_co)
    rename(world.pe_coalition, "Comunidad Moquegua", world.staff_pe)
    colombia = staff_client.get(URL).content.decode()
    peru = other_staff_client.get(URL).content.decode()
    assert "Coalición Guajira Solar" in colombia and "Comunidad Moquegua" not in colombia
    assert "Comunidad Moquegua" in peru and "Coalición Guajira Solar" not in peru
    assert "Fundación Energía Wayuu" in colombia  # the world's own rows, created in Colombia


def test_changes_of_records_of_no_country_are_for_admins_only(world, staff_client, admin_client):
    world.staff_pe.first_name = "Rosa"
    world.staff_pe.save()
    assert "User: staff-pe" not in staff_client.get(URL + "?model=accounts.user").content.decode()
    assert "User: staff-pe" in admin_client.get(URL + "?model=accounts.user").content.decode()


def test_staff_may_not_ask_for_another_countrys_team(world, staff_client):
    rename(world.pe_coalition, "Comunidad Moquegua", world.staff_pe)
    page = staff_client.get(URL, {"country": world.pe.pk}).content.decode()
    assert "Comunidad Moquegua" not in page
    assert "Select a valid choice" in page


def test_the_feed_filters_by_kind_of_record_and_by_person(world, admin_client):
    rename(world.co_coalition, "Coalición Guajira Solar", world.staff_co)
    rename(world.co_initiative, "Comunidades Energéticas 2", world.staff_pe)
    coalition, initiative = "Coalition: Coalición Guajira Solar", "Initiative: Comunidades Energéticas 2"
    by_model = admin_client.get(URL, {"model": "coalitions.coalition"}).content.decode()
    assert coalition in by_model and initiative not in by_model
    by_user = admin_client.get(URL, {"user": world.staff_pe.pk}).content.decode()
    assert initiative in by_user and coalition not in by_user
    by_country = admin_client.get(URL, {"country": world.pe.pk}).content.decode()
    assert initiative not in by_country and "Initiative: Plan de Desarrollo Moquegua" in by_country


def test_partners_and_visitors_get_no_feed(world, partner_client, other_partner_client, client):
    assert partner_client.get(URL).status_code == 403
    assert other_partner_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302  # to the sign-in page


def feed_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_feeds_query_count_does_not_grow_with_the_changes(world, staff_client):
    feed_queries(staff_client)
    few = feed_queries(staff_client)
    for number in range(60):
        rename(world.co_coalition, f"Coalición {number}", world.staff_co)
    assert feed_queries(staff_client) <= few
    assert "Older changes" in staff_client.get(URL).content.decode()
    assert staff_client.get(URL, {"page": 2}).status_code == 200
