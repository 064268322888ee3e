"""Saved filters: every list page with a FilterSet shows the panel (loaded after the page, or a page of
its own without script); saving keeps only that FilterSet's parameters and reopens the same rows; a
shared filter reaches the owner's country team and no one else."""

import html
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


def panel_url(response) -> str:
    """The URL of the page's saved-filters panel, which the page loads after its first paint."""
    return html.unescape(re.search(r'<aside [^>]*hx-get="([^"]+)"', response.content.decode()).group(1))


def panel(client, url, **headers):
    """The saved-filters panel of the list page at `url`, as the page's htmx request gets it."""
    return client.get(panel_url(client.get(url)), headers={"HX-Request": "true", **headers})


def test_every_list_page_loads_the_panel_and_links_to_it(world, staff_client):
    pages = html_list_pages(world)
    assert "/stakeholders/" in pages and "/coalitions/" in pages and len(pages) >= 5
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download of the list (CSV, XLSX) is not a page
        page = response.content.decode()
        assert PANEL in page and "saved_filter-name" not in page, url
        # The placeholder links to the same URL it loads: without script, a page of its own.
        assert f'<a href="{html.escape(panel_url(response))}">' in page, url
        loaded = staff_client.get(panel_url(response), headers={"HX-Request": "true"}).content.decode()
        assert loaded.startswith("<aside") and "saved_filter-name" in loaded and "<html" not in loaded, url
        own_page = staff_client.get(panel_url(response)).content.decode()
        assert "<html" in own_page and "saved_filter-name" in own_page, url


def test_the_panel_is_for_staff_and_for_a_page_signed_here(world, staff_client, partner_client):
    url = panel_url(staff_client.get("/stakeholders/?q=Uribia"))
    assert partner_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert staff_client.get(url.replace("page=", "page=x")).status_code == 404
    assert staff_client.get("/saved-filters/panel/?page=stakeholders:stakeholder_list").status_code == 404


def test_the_panel_saves_the_filters_the_results_were_drawn_with(world, staff_client):
    """The directory swaps its results alone (htmx) when a filter changes: the panel comes with them
    (out of band), for the new filters, so a filter saved then is the one on screen."""
    results = staff_client.get("/stakeholders/", {"q": "Uribia"}, headers={"HX-Request": "true"}).content.decode()
    placeholder = results[results.index('<aside class="saved-filters"') :]
    assert 'hx-swap-oob="true"' in placeholder
    url = html.unescape(re.search(r'hx-get="([^"]+)"', placeholder).group(1))
    loaded = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="saved_filter-query" value="q=Uribia"' in loaded


def test_partners_see_no_panel(world, partner_client):
    response = partner_client.get("/portal/")
    assert PANEL not in response.content.decode()


def save(client, url, name, *, share=False, query=None):
    response = panel(client, f"{url}?{query}" if query else url)
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
    shown = panel(staff_client, response.url).content.decode()
    assert f'href="{saved.get_absolute_url().replace("&", "&amp;")}"' in shown


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
    shown = panel(client, "/coalitions/").content.decode()
    assert "Team Guajira" in shown and "Mine only" not in shown and "shared by staff-co" in shown
    assert "Team Guajira</a>" not in panel(other_staff_client, "/coalitions/").content.decode()


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


@pytest.mark.parametrize("saved", [3, 10])
def test_the_panel_costs_constant_queries(world, staff_client, django_assert_num_queries, saved):
    for index in range(saved):
        SavedFilter.objects.create(owner=world.staff_co, name=f"F{index}", path="stakeholders:stakeholder_list")
    url = panel_url(staff_client.get("/stakeholders/"))
    # session, user, the saved filters with their owners
    with django_assert_num_queries(3):
        response = staff_client.get(url, headers={"HX-Request": "true"})
    assert response.content.decode().count('<li><a href="/stakeholders/') == saved
    assert Stakeholder.objects.exists()
