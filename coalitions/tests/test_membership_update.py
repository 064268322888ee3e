"""Changing a member's role keeps the membership (and its history) and stays within the country team."""

import pytest

from coalitions.models import Membership

pytestmark = pytest.mark.django_db


def membership(world) -> Membership:
    return Membership.objects.get(coalition=world.co_coalition, stakeholder=world.co_mayor)


def test_staff_of_the_country_change_a_members_role(staff_client, world):
    row = membership(world)
    response = staff_client.post(f"/memberships/{row.pk}/edit/", {"role": "champion", "joined_on": "2026-01-15"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.role, row.left_on) == ("champion", None)


def test_staff_of_another_country_read_but_may_not_change_a_role(other_staff_client, world):
    row = membership(world)
    assert other_staff_client.get(f"/memberships/{row.pk}/edit/").status_code == 403
    other_staff_client.post(f"/memberships/{row.pk}/edit/", {"role": "observer", "joined_on": "2026-01-15"})
    row.refresh_from_db()
    assert row.role == "member"


def test_joining_after_leaving_is_refused_with_a_message(staff_client, world):
    row = membership(world)
    Membership.objects.filter(pk=row.pk).update(left_on="2026-02-01")
    response = staff_client.post(f"/memberships/{row.pk}/edit/", {"role": "member", "joined_on": "2026-03-01"})
    assert response.status_code == 200
    assert "A member cannot leave before joining." in response.content.decode()


def test_the_coalition_page_links_to_changing_a_role(staff_client, world):
    page = staff_client.get(world.co_coalition.get_absolute_url()).content.decode()
    assert f"/memberships/{membership(world).pk}/edit/" in page
