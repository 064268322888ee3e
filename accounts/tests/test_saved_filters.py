"""Saved filters: every list page with a FilterSet shows the panel; saving keeps only that FilterSet's
parameters and reopens the same rows; a shared filter reaches the owner's country team and no one else."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SavedFilter
from core.tests.filtersets import pages_by_filterset
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

PANEL = 'aria-labelledby="saved-filters-heading"'


def html_list_pages(world) -> list[str]:
    """The staff pages that build a FilterSet from the URL resolver (the CSV downloads are not pages)."""
    return sorted({url for urls in pages_by_filterset(world.admin).values() for url in urls if "." not in url})


def page_token(response) -> str:
    return re.search(r'name="saved_filter-page" value="([^"]+)"', response.content.decode()).group(1)


def test_every_list_page_shows_the_panel(world, staff_client):
    pages = html_list_pages(world)
    assert "/stakeholders/" in pages and "/coalitions/" in pages and len(pages) >= 5
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download of the list (CSV, XLSX) is not a page
        assert PANEL in response.content.decode(), url
        assert "saved_filter-name" in response.content.decode(), url


def test_partners_see_no_panel(world, partner_client):
    response = partner_client.get("/portal/")
    assert PANEL not in response.content.decode()


def save(client, url, name, *, share=False, query=None):
    response = client.get(f"{url}?{query}" if query else url)
    data = {"saved_filter-name": name, "saved_filter-page": page_token(response)}
    data["saved_filter-query"] = query if query is not None else ""
    if share:
        data["saved_filter-share"] = "on"
    return client.post(reverse("accounts:savedfilter_create"), data)


def test_saving_and_reopening_gives_the_same_rows(world, staff_client):
    query = "q=Uribia&sector=subnational_government"
    before = staff_client.get(f"/stakeholders/?{query}")
    response = save(staff_client, "/stakeholders/", "Mayors of Uribia", query=query)
    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.path) == (world.staff_co, "stakeholders:stakeholder_list")
    assert response.status_code == 302 and response.url == saved.get_absolute_url()
    again = staff_client.get(response.url)
    assert list(again.context["page"].object_list) == list(before.context["page"].object_list) == [world.co_mayor]
    assert f'href="{saved.get_absolute_url().replace("&", "&amp;")}"' in again.content.decode()


def test_only_the_pages_filterset_parameters_are_kept(world, staff_client):
    save(staff_client, "/stakeholders/", "Tidy", query="q=Uribia&evil=1&page=3&q=&sector=")
    assert SavedFilter.objects.get().query == "q=Uribia"


def test_a_query_too_long_or_a_forged_page_is_refused(world, staff_client):
    save(staff_client, "/stakeholders/", "Long", query="q=" + "a" * 2000)
    response = staff_client.post(
        reverse("accounts:savedfilter_create"),
        {"saved_filter-name": "Forged", "saved_filter-page": "stakeholders:stakeholder_list", "saved_filter-query": ""},
    )
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()


def test_a_shared_filter_reaches_the_country_team_only(world, staff_client, other_staff_client, partner_client):
    colleague = type(world.staff_co).objects.create_user(username="colleague-co", role="staff")
    colleague.country_teams.set([world.co])
    save(staff_client, "/coalitions/", "Team Guajira", share=True, query="q=Guajira")
    save(staff_client, "/coalitions/", "Mine only", query="q=Uribia")
    saved = SavedFilter.objects.get(name="Team Guajira")
    assert saved.shared_with_country == world.co
    assert list(SavedFilter.objects.visible_to(colleague)) == [saved]
    assert list(SavedFilter.objects.visible_to(world.staff_pe)) == []
    assert list(SavedFilter.objects.visible_to(world.partner_co)) == []
    assert list(SavedFilter.objects.editable_by(colleague)) == []
    client = Client()
    client.force_login(colleague)
    page = client.get("/coalitions/").content.decode()
    assert "Team Guajira" in page and "Mine only" not in page and "shared by staff-co" in page
    assert "Team Guajira</a>" not in other_staff_client.get("/coalitions/").content.decode()


def test_staff_of_several_teams_share_with_the_team_of_the_country_filtered(world, staff_client):
    world.staff_co.country_teams.add(world.pe)
    response = save(staff_client, "/coalitions/", "Both", share=True)
    assert not SavedFilter.objects.exists()
    assert "filter the page by one country" in staff_client.get(response.url).content.decode()
    save(staff_client, "/coalitions/", "Moquegua", share=True, query=f"country={world.pe.pk}")
    assert SavedFilter.objects.get().shared_with_country == world.pe


def test_deleting_asks_first_and_only_the_owner_may(world, staff_client, other_staff_client):
    saved = SavedFilter.objects.create(owner=world.staff_co, name="Mine", path="coalitions:coalition_list")
    url = reverse("accounts:savedfilter_delete", args=[saved.pk])
    assert other_staff_client.get(url).status_code == 404
    assert other_staff_client.post(url).status_code == 404
    assert "Remove the saved filter" in staff_client.get(url).content.decode()
    assert SavedFilter.objects.exists()
    assert staff_client.post(url).status_code == 302
    assert not SavedFilter.objects.exists()


def test_the_panel_costs_constant_queries(world, staff_client, django_assert_max_num_queries):
    for index in range(3):
        SavedFilter.objects.create(owner=world.staff_co, name=f"F{index}", path="stakeholders:stakeholder_list")
    staff_client.get("/stakeholders/")
    with django_assert_max_num_queries(40) as first:
        staff_client.get("/stakeholders/")
    for index in range(3, 10):
        SavedFilter.objects.create(owner=world.staff_co, name=f"F{index}", path="stakeholders:stakeholder_list")
    with django_assert_max_num_queries(len(first.captured_queries)):
        staff_client.get("/stakeholders/")
    assert Stakeholder.objects.exists()
