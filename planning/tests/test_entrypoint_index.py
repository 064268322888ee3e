"""Entry points are in the main navigation: one team's staff land on their ranking, others choose a country."""

import pytest
from django.urls import reverse

from .conftest import make_entry_point

pytestmark = pytest.mark.django_db

INDEX = reverse("planning:entrypoint_index")


def test_the_navigation_links_to_the_entry_points(staff_client):
    html = staff_client.get(reverse("coalitions:dashboard")).content.decode()
    assert f'href="{INDEX}"' in html


def test_staff_of_one_country_team_land_on_its_ranking(staff_client):
    response = staff_client.get(INDEX)
    assert response.status_code == 302
    assert response.url == reverse("planning:entrypoint_list", kwargs={"code": "co"})


def test_an_admin_chooses_a_country_and_sees_the_counts(client, world, django_assert_max_num_queries):
    make_entry_point(world.co, "Solar schools")
    make_entry_point(world.co, "Water boards")
    client.force_login(world.admin)
    with django_assert_max_num_queries(8):
        response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("planning:entrypoint_list", kwargs={"code": "co"}) in html
    assert "2 entry points" in html and "0 entry points" in html


def test_partners_get_the_staff_gate(partner_client):
    assert partner_client.get(INDEX).status_code == 403
