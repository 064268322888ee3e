"""Countries list, country page and region page."""

import pytest
from django.core.cache import cache

from coalitions.models import Coalition, Initiative
from coalitions.views.countries import COALITIONS_PAGE_SIZE
from countries.models import Region
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder, StakeholderQuerySet


def add_country_work(world, n: int) -> None:
    """n more initiatives, each with a coalition in a region, and n stakeholders, in Colombia."""
    regions = list(Region.objects.filter(country=world.co, parent=None)[:n])
    for index in range(n):
        initiative = Initiative.objects.create(country=world.co, level="subnational", name=f"Init {index}")
        initiative.regions.add(regions[index])
        coalition = Coalition.objects.create(initiative=initiative, name=f"Coal {index}", level="local")
        coalition.regions.add(regions[index])
        stakeholder = Stakeholder.objects.create(country=world.co, name=f"S {index}", sector="media", level="local")
        stakeholder.regions.add(regions[index])


@pytest.mark.parametrize("url", ["/countries/", "/countries/co/", "/regions/{guajira}/"])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url.format(guajira=world.guajira.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_country_list_shows_status_and_counts(staff_client, world):
    response = staff_client.get("/countries/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Colombia" in html and "Peru" in html
    row = response.context["countries"].get(code="CO")
    assert (row.initiative_count, row.coalition_count, row.stakeholder_count) == (1, 1, 2)


@pytest.mark.parametrize("extra", [0, 6])
def test_country_list_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    add_country_work(world, extra)
    with django_assert_num_queries(3):
        staff_client.get("/countries/")


PANELS = ["initiatives", "coalitions", "health", "entry-points", "regions"]


def panel(client, name: str, code: str = "co", **query):
    """A panel of the country's page as the page's htmx request loads it."""
    return client.get(f"/countries/{code}/panels/{name}/", query, HTTP_HX_REQUEST="true")


def test_country_page_shows_initiatives_coalitions_and_regions(staff_client, world):
    response = staff_client.get("/countries/co/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/stakeholders/new/?country=' in html
    initiatives = panel(staff_client, "initiatives").content.decode()
    assert "Comunidades Energéticas" in initiatives
    assert "Plan de Desarrollo Moquegua" not in initiatives
    coalitions = panel(staff_client, "coalitions").content.decode()
    assert "Coalición La Guajira" in coalitions and "<html" not in coalitions
    regions = panel(staff_client, "regions").content.decode()
    assert "La Guajira" in regions  # the coalition's region is a region worked in
    assert "Moquegua" not in coalitions + regions


def test_country_page_loads_its_secondary_panels_after_its_first_paint(staff_client, world):
    html = staff_client.get("/countries/co/").content.decode()
    assert "Coalición La Guajira" not in html  # in the coalitions panel, not the page
    for name in PANELS:
        assert f'hx-get="/countries/co/panels/{name}/"' in html
        assert f'href="/countries/co/panels/{name}/"' in html  # without JavaScript, a page of its own
    assert 'hx-trigger="load"' in html and 'hx-trigger="revealed"' in html
    assert "<script" not in html.split("<main", 1)[-1]  # no inline script (strict CSP)


@pytest.mark.parametrize("name", PANELS)
def test_a_panel_is_bare_for_htmx_and_a_page_of_its_own_without(staff_client, world, name):
    bare = panel(staff_client, name)
    assert bare.status_code == 200 and "<html" not in bare.content.decode()
    alone = staff_client.get(f"/countries/co/panels/{name}/")
    assert alone.status_code == 200 and "<html" in alone.content.decode()
    assert 'href="/countries/co/"' in alone.content.decode()  # back to the country


@pytest.mark.parametrize("name", PANELS)
def test_panels_are_scoped_as_the_page_is(client, partner_client, staff_client, world, name):
    assert panel(staff_client, name, code="zz").status_code == 404  # no such country, as the page
    assert staff_client.get("/countries/zz/").status_code == 404
    assert panel(partner_client, name).status_code == 403  # a staff page, as the page
    assert partner_client.get("/countries/co/").status_code == 403
    assert panel(client, name).status_code == 302  # to the login, as the page


def test_an_unknown_panel_is_404(staff_client, world):
    assert panel(staff_client, "secrets").status_code == 404


def test_other_country_staff_reads_the_page_without_edit_links(other_staff_client, world):
    response = other_staff_client.get("/countries/co/")
    assert response.status_code == 200
    assert "/stakeholders/new/" not in response.content.decode()


def test_unknown_country_is_404(staff_client, world):
    assert staff_client.get("/countries/zz/").status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_country_page_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    add_country_work(world, extra)
    # Session, user, country and the user's teams (for the edit links); the rest is in panels.
    with django_assert_num_queries(4):
        staff_client.get("/countries/co/")


@pytest.mark.parametrize("extra", [0, 6])
@pytest.mark.parametrize(
    ("name", "expected", "kept"),
    # Session, user, country, then: the initiatives; the coalitions' number, a page of them and their
    # regions; the health snapshots; the entry points; the regions worked in and the number of stakeholders.
    # The coalitions and the regions are kept rendered until a table they show changes: then nothing more.
    [("initiatives", 4, 4), ("coalitions", 6, 3), ("health", 4, 4), ("entry-points", 4, 4), ("regions", 5, 3)],
)
def test_country_panel_query_count_is_constant(
    staff_client, world, django_assert_num_queries, extra, name, expected, kept
):
    add_country_work(world, extra)
    with django_assert_num_queries(expected):
        panel(staff_client, name)
    with django_assert_num_queries(kept):
        panel(staff_client, name)


#: Each write that changes what the kept coalitions panel shows: a row saved, updated in bulk or
#: created in bulk, a coalition's regions, its initiative's name, a region's name.
COALITIONS_PANEL_WRITES = {
    "coalition created": lambda world: Coalition.objects.create(
        initiative=world.co_initiative, name="Coalición Cesar", level="local"
    ),
    "coalition renamed in bulk": lambda world: Coalition.objects.filter(pk=world.co_coalition.pk).update(
        name="Coalición Wayuu"
    ),
    "coalitions created in bulk": lambda world: Coalition.objects.bulk_create(
        [Coalition(initiative=world.co_initiative, name="Coalición Cesar", level="local")]
    ),
    "coalition's regions changed": lambda world: world.co_coalition.regions.set([Region.objects.get(code="CO-CES")]),
    "initiative renamed": lambda world: Initiative.objects.filter(pk=world.co_initiative.pk).update(
        name="Comunidades Solares"
    ),
    "region renamed": lambda world: Region.objects.filter(pk=world.guajira.pk).update(name="Guajira"),
}


@pytest.mark.parametrize("write", COALITIONS_PANEL_WRITES.values(), ids=COALITIONS_PANEL_WRITES.keys())
def test_the_kept_coalitions_panel_follows_every_write(staff_client, world, write, django_capture_on_commit_callbacks):
    kept = panel(staff_client, "coalitions").content.decode()
    assert panel(staff_client, "coalitions").content.decode() == kept  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    shown = panel(staff_client, "coalitions").content.decode()
    cache.clear()
    assert shown == panel(staff_client, "coalitions").content.decode() != kept  # as read afresh


def _add_stakeholder_in_cesar(world):
    stakeholder = Stakeholder.objects.create(country=world.co, name="Actor Cesar", sector="media", level="local")
    stakeholder.regions.add(Region.objects.get(code="CO-CES"))


#: Each write that changes what the kept regions panel shows: a stakeholder and its regions (saved
#: or imported), an initiative's or a coalition's regions, a region's name.
REGIONS_PANEL_WRITES = {
    "stakeholder added in a region": _add_stakeholder_in_cesar,
    "stakeholders imported": lambda world: stakeholders_import_csv(
        file=(
            "name,kind,sector,level,country,regions\nFundación Cesar,organisation,civil_society,local,CO,CO-CES\n"
        ).encode()
    ),
    "stakeholder moved to another country": lambda world: Stakeholder.objects.filter(pk=world.co_org.pk).update(
        country=world.pe
    ),
    "initiative's regions changed": lambda world: world.co_initiative.regions.add(Region.objects.get(code="CO-CES")),
    "coalition's regions changed": lambda world: world.co_coalition.regions.clear(),
    "region renamed": lambda world: Region.objects.filter(pk=world.guajira.pk).update(name="Guajira"),
}


@pytest.mark.parametrize("write", REGIONS_PANEL_WRITES.values(), ids=REGIONS_PANEL_WRITES.keys())
def test_the_kept_regions_panel_follows_every_write(staff_client, world, write, django_capture_on_commit_callbacks):
    kept = panel(staff_client, "regions").content.decode()
    assert panel(staff_client, "regions").content.decode() == kept  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    shown = panel(staff_client, "regions").content.decode()
    cache.clear()
    assert shown == panel(staff_client, "regions").content.decode() != kept  # as read afresh


def test_a_kept_panel_is_kept_per_scope(staff_client, other_staff_client, world, monkeypatch):
    """Two users whose `visible_to` differ never read each other's kept panel."""
    everything = StakeholderQuerySet.visible_to
    monkeypatch.setattr(
        StakeholderQuerySet,
        "visible_to",
        lambda self, user: self.none() if user == world.staff_pe else everything(self, user),
    )
    assert "2 stakeholders" in panel(staff_client, "regions").content.decode()
    assert "0 stakeholders" in panel(other_staff_client, "regions").content.decode()
    assert "2 stakeholders" in panel(staff_client, "regions").content.decode()


def test_country_page_lists_its_coalitions_a_page_at_a_time(staff_client, world):
    Coalition.objects.bulk_create(
        Coalition(initiative=world.co_initiative, name=f"Coalición {index:03}", level="local") for index in range(60)
    )
    first = panel(staff_client, "coalitions")
    shown = list(first.context["coalitions_page"].object_list)
    assert len(shown) == COALITIONS_PAGE_SIZE
    assert shown == sorted(shown, key=lambda coalition: (coalition.name, coalition.pk))
    assert 'href="/countries/co/?page=2#coalitions"' in first.content.decode()  # the page loads that page
    assert (
        'hx-get="/countries/co/panels/coalitions/?page=2"' in staff_client.get("/countries/co/?page=2").content.decode()
    )
    pages = [shown]
    for number in range(2, 10):
        rows = list(panel(staff_client, "coalitions", page=number).context["coalitions_page"].object_list)
        if rows == pages[-1]:
            break  # past the last page: the last page again
        pages.append(rows)
    every = [coalition for page in pages for coalition in page]
    assert len(every) == len(set(every)) == Coalition.objects.filter(initiative__country=world.co).count()
    assert all(len(page) == COALITIONS_PAGE_SIZE for page in pages[:-1])


def test_region_page_lists_coalitions(staff_client, world):
    response = staff_client.get(world.guajira.get_absolute_url())
    assert response.status_code == 200
    assert "Coalición La Guajira" in response.content.decode()


def test_partner_gets_403_on_country_pages(partner_client, world):
    assert partner_client.get("/countries/co/").status_code == 403
