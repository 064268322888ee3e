"""The relationship network page: SVG graph, figures, scope by country or initiative."""

import datetime
import itertools

import pytest

from coalitions.models import Assessment, Initiative
from stakeholders.models import Relationship, Stakeholder


def camps(world):
    """Two camps in Colombia joined only through the mayor: the mayor is the broker."""
    make = lambda name, sector: Stakeholder.objects.create(  # noqa: E731
        country=world.co, name=name, sector=sector, level="local"
    )
    left = [world.co_org, make("Colectivo Wayuu", "indigenous"), make("Red Solar", "community")]
    right = [make("Carbones del Norte", "extractive_energy"), make("Gremio Minero", "private")]
    for a, b in ((left[0], left[1]), (left[1], left[2]), (left[0], left[2]), (right[0], right[1])):
        Relationship.objects.create(source=a, target=b, kind="alliance")
    Relationship.objects.create(source=world.co_mayor, target=left[0], kind="collaboration")
    Relationship.objects.create(source=world.co_mayor, target=left[1], kind="influence")
    Relationship.objects.create(source=world.co_mayor, target=right[0], kind="funding", strength=3)
    return left, right


def test_anonymous_is_sent_to_login(client, world):
    assert client.get("/relationships/")["Location"].startswith("/accounts/login/")


def test_country_network_draws_svg_and_finds_the_broker(staff_client, world):
    camps(world)
    response = staff_client.get("/relationships/", {"country": world.co.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="network"' in html
    assert html.count('class="node"') == 6
    network = response.context["network"]
    assert network.nodes[0].stakeholder == world.co_mayor  # highest betweenness
    assert network.nodes[0].degree == 3
    assert network.components == 1


def test_default_scope_is_the_users_team_country(staff_client, world):
    camps(world)
    assert staff_client.get("/relationships/").context["country"] == world.co


def test_initiative_network_colours_by_stance(staff_client, world):
    camps(world)
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 1, 2),
        power=2,
        capabilities=2,
        interest=5,
        stance=2,
    )
    Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="conflict")
    response = staff_client.get("/relationships/", {"initiative": world.co_initiative.pk})
    network = response.context["network"]
    assert {node.stakeholder for node in network.nodes} == {world.co_org, world.co_mayor}
    colours = {node.stakeholder: node.colour_class for node in network.nodes}
    assert colours[world.co_org] == "stance-2"  # champion
    assert "Champion" in response.content.decode()


def test_empty_network_says_so(staff_client, world):
    response = staff_client.get("/relationships/", {"country": world.pe.pk})
    assert "No relationships recorded here yet" in response.content.decode()


def test_initiative_is_chosen_with_the_record_picker_not_a_list_of_every_initiative(staff_client, world):
    Initiative.objects.create(country=world.co, level="national", name="Transición Justa", shared_objective="x")
    html = staff_client.get("/relationships/", {"initiative": world.co_initiative.pk}).content.decode()
    assert f'name="initiative" value="{world.co_initiative.pk}" checked' in html
    assert 'name="initiative_q"' in html
    # Neither the other initiatives nor another country's are listed until a search asks for them.
    assert "Transición Justa" not in html
    assert world.pe_initiative.name not in html


def test_initiative_search_without_script_offers_the_matches(staff_client, world):
    Initiative.objects.create(country=world.co, level="national", name="Transición Justa", shared_objective="x")
    response = staff_client.get("/relationships/", {"country": world.co.pk, "initiative_q": "transic"})
    html = response.content.decode()
    assert "Transición Justa" in html
    assert world.co_initiative.name not in html
    assert response.context["country"] == world.co  # the search changes no scope


def test_network_history_chooses_its_initiative_with_the_same_picker(staff_client, world):
    Initiative.objects.create(country=world.co, level="national", name="Transición Justa", shared_objective="x")
    html = staff_client.get("/network/history/", {"initiative": world.co_initiative.pk}).content.decode()
    assert f'name="initiative" value="{world.co_initiative.pk}" checked' in html
    assert "Transición Justa" not in html


def test_bad_scope_is_404_not_500(staff_client, world):
    assert staff_client.get("/relationships/", {"country": "999999"}).status_code == 404
    assert staff_client.get("/relationships/", {"initiative": "999999"}).status_code == 404
    assert staff_client.get("/relationships/", {"country": "abc", "colour": "<x>"}).status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    camps(world)
    others = Stakeholder.objects.bulk_create(
        Stakeholder(country=world.co, name=f"N{index}", sector="media", level="local") for index in range(extra)
    )
    for a, b in itertools.pairwise(others):
        Relationship.objects.create(source=a, target=b, kind="alliance")
    # The session, the user, the country, the countries, the actors and ties (no list of initiatives).
    with django_assert_num_queries(6):
        staff_client.get("/relationships/", {"country": world.co.pk})


@pytest.mark.parametrize("extra", [0, 20])
def test_initiative_network_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    others = Stakeholder.objects.bulk_create(
        Stakeholder(country=world.co, name=f"N{index}", sector="media", level="local") for index in range(extra)
    )
    for index, stakeholder in enumerate(others):
        Assessment.objects.create(
            stakeholder=stakeholder,
            initiative=world.co_initiative,
            assessed_on=datetime.date(2026, 1, 1),
            power=3,
            capabilities=3,
            interest=3,
            stance=index % 5 - 2,
        )
        Relationship.objects.create(source=stakeholder, target=world.co_mayor, kind="influence")
    # Computed after a write: the scope and its form (five), then the stances, actors and ties.
    with django_assert_num_queries(8):
        staff_client.get("/relationships/", {"initiative": world.co_initiative.pk})
    # Kept: the session, the user, the initiative, the countries and the picker's chosen initiative
    # (not a list of every initiative); no actor or tie.
    with django_assert_num_queries(5):
        response = staff_client.get("/relationships/", {"initiative": world.co_initiative.pk})
    assert response.content.decode().count('class="node"') == extra + 1


def test_network_from_the_cache_equals_a_fresh_one_and_follows_every_change(staff_client, world, settings):
    left, right = camps(world)
    url = "/relationships/"
    first = staff_client.get(url, {"country": world.co.pk}).context["network"]
    assert staff_client.get(url, {"country": world.co.pk}).context["network"].svg == first.svg
    # A new tie (the broker is no longer the only bridge) and a renamed actor show at once.
    Relationship.objects.create(source=left[2], target=right[1], kind="alliance")
    Stakeholder.objects.filter(pk=right[1].pk).update(name="Gremio Renombrado")
    response = staff_client.get(url, {"country": world.co.pk})
    changed = response.context["network"]
    assert len(changed.edges) == len(first.edges) + 1
    assert "Gremio Renombrado" in changed.svg
    # The page's kept rendering follows as well: the drawing and the figures table.
    assert response.content.decode().count("Gremio Renombrado") >= 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    fresh = staff_client.get(url, {"country": world.co.pk}).context["network"]
    assert fresh.svg == changed.svg
    assert [(node.stakeholder.pk, node.degree, node.betweenness) for node in fresh.nodes] == [
        (node.stakeholder.pk, node.degree, node.betweenness) for node in changed.nodes
    ]
