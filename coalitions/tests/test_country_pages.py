"""Countries list, country page and region page."""

import pytest

from coalitions.models import Coalition, Initiative
from countries.models import Region
from stakeholders.models import Stakeholder


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


def test_country_page_shows_initiatives_coalitions_and_regions(staff_client, world):
    response = staff_client.get("/countries/co/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Comunidades Energéticas" in html
    assert "Coalición La Guajira" in html
    assert "La Guajira" in html  # the coalition's region is a region worked in
    assert "Plan de Desarrollo Moquegua" not in html
    assert 'href="/stakeholders/new/?country=' in html


def test_other_country_staff_reads_the_page_without_edit_links(other_staff_client, world):
    response = other_staff_client.get("/countries/co/")
    assert response.status_code == 200
    assert "/stakeholders/new/" not in response.content.decode()


def test_unknown_country_is_404(staff_client, world):
    assert staff_client.get("/countries/zz/").status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_country_page_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    add_country_work(world, extra)
    # 11th: the health table finds no snapshot month (trends); 12th: the number of coalitions, for their pages.
    with django_assert_num_queries(12):
        staff_client.get("/countries/co/")


def test_country_page_lists_its_coalitions_a_page_at_a_time(staff_client, world):
    Coalition.objects.bulk_create(
        Coalition(initiative=world.co_initiative, name=f"Coalición {index:03}", level="local") for index in range(60)
    )
    first = staff_client.get("/countries/co/")
    shown = list(first.context["coalitions_page"].object_list)
    assert len(shown) == 50 and shown == sorted(shown, key=lambda coalition: (coalition.name, coalition.pk))
    assert "page=2#coalitions" in first.content.decode()
    second = staff_client.get("/countries/co/", {"page": 2})
    rest = list(second.context["coalitions_page"].object_list)
    assert len(rest) == Coalition.objects.filter(initiative__country=world.co).count() - 50
    assert not set(shown) & set(rest)


def test_region_page_lists_coalitions(staff_client, world):
    response = staff_client.get(world.guajira.get_absolute_url())
    assert response.status_code == 200
    assert "Coalición La Guajira" in response.content.decode()


def test_partner_gets_403_on_country_pages(partner_client, world):
    assert partner_client.get("/countries/co/").status_code == 403
