"""Who moved: each actor at an "as of" date and how far it moved since a comparison date, on the page and the API."""

import datetime
import math

import pytest
from django.conf import settings
from django.urls import reverse

from coalitions.models import Assessment, Initiative
from coalitions.moves import moved_where, moves, moves_where, rounds
from stakeholders.models import Stakeholder

from .conftest import add_stakeholders, assess

pytestmark = pytest.mark.django_db

FIRST_ROUND = datetime.date(2026, 1, 5)  # before the world's assessment of the mayor (2026-01-15)
SINCE = datetime.date(2026, 1, 20)
AS_OF = datetime.date(2026, 4, 1)


def actor(world, name: str) -> Stakeholder:
    return Stakeholder.objects.create(country=world.co, name=name, sector="academia", level="national")


def assessment(world, stakeholder, day, power, capabilities, interest, stance, **fields) -> Assessment:
    return Assessment.objects.create(
        stakeholder=stakeholder,
        initiative=world.co_initiative,
        assessed_on=day,
        power=power,
        capabilities=capabilities,
        interest=interest,
        stance=stance,
        **fields,
    )


@pytest.fixture
def rounds_world(world):
    """The mayor moves far, the foundation a little, one actor stays, one is first assessed after SINCE.

    Hand-counted, from SINCE to AS_OF:
      mayor (4,3,2,0) -> (5,3,5,2): sqrt(1 + 0 + 9 + 4) = sqrt(14)
      foundation (2,2,2,0) -> (3,2,2,1): sqrt(1 + 1) = sqrt(2)
      "Universidad" first assessed 2026-02-15: new
      "Observatorio" assessed only on FIRST_ROUND: did not move
    The mayor's assessment of 2026-05-01 is after AS_OF and must not count.
    """
    world.newcomer = actor(world, "Universidad del Norte")
    world.stayer = actor(world, "Observatorio Caribe")
    assessment(world, world.stayer, FIRST_ROUND, 3, 3, 3, 0)
    assessment(world, world.co_org, FIRST_ROUND, 2, 2, 2, 0)
    assessment(
        world,
        world.co_mayor,
        datetime.date(2026, 3, 1),
        5,
        3,
        5,
        2,
        rationale="Announced the solar budget",
        assessed_by=world.staff_co,
    )
    assessment(world, world.co_org, datetime.date(2026, 3, 1), 3, 2, 2, 1)
    assessment(world, world.newcomer, datetime.date(2026, 2, 15), 2, 2, 4, 1)
    assessment(world, world.co_mayor, datetime.date(2026, 5, 1), 1, 1, 1, -2)
    return world


def test_moves_are_ordered_by_distance_then_new_then_unmoved(rounds_world):
    world = rounds_world
    found = moves(initiative=world.co_initiative, user=world.staff_co, as_of=AS_OF, since=SINCE)
    assert [(str(m.stakeholder), m.distance) for m in found] == [
        ("Alcaldía de Uribia", math.sqrt(14)),
        ("Fundación Energía Wayuu", math.sqrt(2)),
        ("Universidad del Norte", None),
        ("Observatorio Caribe", 0.0),
    ]
    mayor = found[0]
    assert [(c.name, c.before, c.now, c.delta) for c in mayor.changes] == [
        ("power", 4, 5, 1),
        ("capabilities", 3, 3, 0),
        ("interest", 2, 5, 3),
        ("stance", 0, 2, 2),
    ]
    assert mayor.now.rationale == "Announced the solar budget"


def test_as_of_is_the_latest_assessment_on_or_before_it(rounds_world):
    world = rounds_world
    on_the_day = moves(
        initiative=world.co_initiative, user=world.staff_co, as_of=datetime.date(2026, 5, 1), since=SINCE
    )
    mayor = next(m for m in on_the_day if m.stakeholder == world.co_mayor)
    assert (mayor.now.assessed_on, mayor.now.power) == (datetime.date(2026, 5, 1), 1)
    # Since a date before the mayor's first assessment: the mayor is new, and nobody assessed later is shown.
    early = moves(
        initiative=world.co_initiative,
        user=world.staff_co,
        as_of=datetime.date(2026, 1, 15),
        since=datetime.date(2026, 1, 10),
    )
    assert [(str(m.stakeholder), m.is_new) for m in early] == [
        ("Alcaldía de Uribia", True),
        ("Fundación Energía Wayuu", False),
        ("Observatorio Caribe", False),
    ]


def test_rounds_offer_the_first_and_the_latest_dates(rounds_world):
    world = rounds_world
    found = rounds(initiative=world.co_initiative, user=world.staff_co, before=AS_OF)
    assert [(r.day, r.count, r.is_first) for r in found] == [
        (FIRST_ROUND, 2, True),
        (datetime.date(2026, 1, 15), 1, False),
        (datetime.date(2026, 2, 15), 1, False),
        (datetime.date(2026, 3, 1), 2, False),
    ]


def page(world) -> str:
    """The initiative page's stakeholder map panel (the page loads it after its first paint)."""
    return reverse("coalitions:initiative_map", kwargs={"pk": world.co_initiative.pk})


def test_page_shows_who_moved_and_draws_arrows_from_the_comparison_date(staff_client, rounds_world):
    world = rounds_world
    response = staff_client.get(page(world), {"as_of": AS_OF.isoformat(), "since": SINCE.isoformat()})
    assert [str(m.stakeholder) for m in response.context["moves"]][:2] == [
        "Alcaldía de Uribia",
        "Fundación Energía Wayuu",
    ]
    mayor = next(p for p in response.context["points"] if p.stakeholder_id == world.co_mayor.pk)
    assert (mayor.power, mayor.interest, mayor.previous_power, mayor.previous_interest) == (5, 5, 4, 2)
    assert f'class="map-move" data-stakeholder="{world.co_mayor.pk}"' in response.context["map_svg"]
    content = response.content.decode()
    assert "Who moved since" in content
    assert "Announced the solar budget" in content
    assert "staff-co" in content  # who assessed
    assert "1 actor did not move." in content
    assert f"since={FIRST_ROUND.isoformat()}" in content  # the first round as a quick choice
    assert "since the first round" in content


def test_page_without_comparison_date_shows_no_moves_table(staff_client, rounds_world):
    response = staff_client.get(page(rounds_world), {"as_of": AS_OF.isoformat()})
    assert response.context["moves"] is None
    mayor = next(p for p in response.context["points"] if p.stakeholder_id == rounds_world.co_mayor.pk)
    assert (mayor.assessed_on, mayor.previous_on) == (datetime.date(2026, 3, 1), datetime.date(2026, 1, 15))


def test_page_refuses_a_comparison_date_not_before_the_map_date(staff_client, rounds_world):
    response = staff_client.get(page(rounds_world), {"as_of": SINCE.isoformat(), "since": AS_OF.isoformat()})
    assert response.status_code == 200
    assert response.context["filter_form"].errors["since"]
    assert response.context["moves"] is None


def test_page_in_spanish(staff_client, rounds_world):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    content = staff_client.get(page(rounds_world), {"as_of": AS_OF.isoformat(), "since": SINCE.isoformat()})
    content = content.content.decode()
    assert "Quién se movió desde" in content
    assert "Comparar con" in content
    assert "desde la primera ronda" in content
    assert "Distancia recorrida" in content


def test_page_keeps_a_constant_query_count(staff_client, world, django_assert_max_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(page(world), {"since": "2026-01-01"}).status_code == 200
        return len(queries)

    few = add_stakeholders(world.co, 2, prefix="Few")
    assess(world.co_initiative, few, datetime.date(2025, 12, 1))
    assess(world.co_initiative, few, datetime.date(2026, 2, 1), power=5)
    before = count()
    many = add_stakeholders(world.co, 20, prefix="Many")
    assess(world.co_initiative, many, datetime.date(2025, 12, 1))
    assess(world.co_initiative, many, datetime.date(2026, 2, 1), power=5)
    assert count() == before


def api_map(world) -> str:
    return f"/api/v1/initiatives/{world.co_initiative.pk}/map/"


def test_api_map_gives_each_position_and_movement(staff_api, rounds_world):
    world = rounds_world
    response = staff_api.get(api_map(world), {"as_of": AS_OF.isoformat(), "since": SINCE.isoformat()})
    assert response.status_code == 200
    rows = response.json()
    assert [row["stakeholder_brief"]["name"] for row in rows] == [
        "Alcaldía de Uribia",
        "Fundación Energía Wayuu",
        "Universidad del Norte",
        "Observatorio Caribe",
    ]
    mayor = rows[0]
    assert (mayor["assessed_on"], mayor["power"], mayor["interest"]) == ("2026-03-01", 5, 5)
    assert mayor["movement"]["since"] == SINCE.isoformat()
    assert mayor["movement"]["previous"]["assessed_on"] == "2026-01-15"
    assert mayor["movement"]["change"] == {"power": 1, "capabilities": 0, "interest": 3, "stance": 2}
    assert mayor["movement"]["distance"] == pytest.approx(math.sqrt(14))
    assert rows[2]["movement"] == {"since": SINCE.isoformat(), "previous": None, "change": None, "distance": None}
    assert rows[3]["movement"]["distance"] == 0


def test_api_map_as_of_alone_has_no_movement(staff_api, rounds_world):
    rows = staff_api.get(api_map(rounds_world), {"as_of": "2026-01-31"}).json()
    assert [(row["stakeholder_brief"]["name"], row["assessed_on"], row["movement"]) for row in rows] == [
        ("Alcaldía de Uribia", "2026-01-15", None),
        ("Fundación Energía Wayuu", "2026-01-05", None),
        ("Observatorio Caribe", "2026-01-05", None),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "01/04/2026"}, "as_of"),
        ({"since": "yesterday"}, "since"),
        ({"as_of": "2026-04-01", "since": "2026-04-01"}, "since"),
        ({"as_of": "2026-01-01", "since": "2026-04-01"}, "since"),
    ],
)
def test_api_map_refuses_bad_dates(staff_api, world, query, field):
    response = staff_api.get(api_map(world), query)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert field in body["errors"]


def test_api_map_with_dates_is_staff_only(partner_api, world):
    world.co_initiative.is_public = True
    world.co_initiative.save()
    response = partner_api.get(api_map(world), {"as_of": AS_OF.isoformat(), "since": SINCE.isoformat()})
    assert response.status_code == 404


def test_api_map_keeps_a_constant_query_count(staff_api, world, django_assert_num_queries):
    few = add_stakeholders(world.co, 2, prefix="Few")
    assess(world.co_initiative, few, datetime.date(2025, 12, 1))
    with django_assert_num_queries(3):  # the initiative, the positions now, the positions then
        assert staff_api.get(api_map(world), {"since": "2026-01-01"}).status_code == 200
    many = add_stakeholders(world.co, 20, prefix="Many")
    assess(world.co_initiative, many, datetime.date(2025, 12, 1))
    assess(world.co_initiative, many, datetime.date(2026, 2, 1), power=5)
    with django_assert_num_queries(3):
        assert staff_api.get(api_map(world), {"since": "2026-01-01"}).status_code == 200


def test_api_map_from_the_cache_follows_every_change_and_equals_a_fresh_reading(staff_api, world, settings):
    url = api_map(world)
    first = staff_api.get(url).json()
    assert staff_api.get(url).json() == first
    # A changed assessment and a renamed actor (even through update()), and a renamed initiative, at once.
    Assessment.objects.filter(pk=world.co_assessment.pk).update(power=1)
    Stakeholder.objects.filter(pk=world.co_assessment.stakeholder_id).update(name="Renamed actor")
    world.co_initiative.name = "Renamed initiative"
    world.co_initiative.save()
    changed = staff_api.get(url).json()
    assert (changed[0]["power"], changed[0]["stakeholder_brief"]["name"]) == (1, "Renamed actor")
    assert changed[0]["initiative_brief"]["name"] == "Renamed initiative"
    Assessment.objects.filter(pk=world.co_assessment.pk).delete()
    assert staff_api.get(url).json() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert staff_api.get(url).json() == []


@pytest.fixture
def moved_world(rounds_world):
    """rounds_world, with a second initiative in Colombia and the ties `moved_where` must order as
    `moves_where` does. Hand-counted, from SINCE to AS_OF, over both initiatives:
      mayor, energy (4,3,2,0) -> (5,3,5,2): sqrt(14)
      mayor, water (1,1,1,0) -> (2,1,1,1): sqrt(2)
      foundation, energy (2,2,2,0) -> (3,2,2,1): sqrt(2), named before "Zona Norte (ZN)"
      "Zona Norte (ZN)", water (3,3,3,0) -> (3,3,3,-1): 1
      "Universidad del Norte", energy, and "andes" (lower case), water: new, "andes" first by name
      "Observatorio Caribe" (FIRST_ROUND only) and "Reassessed" (the same scores again since): did not move
    """
    world = rounds_world
    water = Initiative.objects.create(country=world.co, level="national", name="Agua", shared_objective="Water")
    zona = Stakeholder.objects.create(
        country=world.co, name="Zona Norte", acronym="ZN", sector="academia", level="national"
    )
    andes = actor(world, "andes")
    reassessed = actor(world, "Reassessed")
    for stakeholder, day, scores in (
        (world.co_mayor, FIRST_ROUND, (1, 1, 1, 0)),
        (world.co_mayor, datetime.date(2026, 3, 2), (2, 1, 1, 1)),
        (zona, FIRST_ROUND, (3, 3, 3, 0)),
        (zona, datetime.date(2026, 3, 3), (3, 3, 3, -1)),
        (andes, datetime.date(2026, 2, 1), (1, 2, 3, 0)),
        (reassessed, FIRST_ROUND, (2, 3, 4, 1)),
        (reassessed, datetime.date(2026, 3, 4), (2, 3, 4, 1)),
    ):
        power, capabilities, interest, stance = scores
        Assessment.objects.create(
            stakeholder=stakeholder,
            initiative=water,
            assessed_on=day,
            power=power,
            capabilities=capabilities,
            interest=interest,
            stance=stance,
        )
    world.water = water
    return world


def _pairs(found) -> list[tuple]:
    return [(move.now.pk, move.before and move.before.pk) for move in found]


def test_moved_are_the_moves_that_moved_in_moves_where_order(moved_world):
    world = moved_world
    found = moved_where(user=world.staff_co, as_of=AS_OF, since=SINCE, initiative__country=world.co)
    assert [(str(m.stakeholder), str(m.now.initiative), m.distance) for m in found] == [
        ("Alcaldía de Uribia", "Comunidades Energéticas", math.sqrt(14)),
        ("Alcaldía de Uribia", "Agua", math.sqrt(2)),
        ("Fundación Energía Wayuu", "Comunidades Energéticas", math.sqrt(2)),
        ("Zona Norte (ZN)", "Agua", 1.0),
        ("andes", "Agua", None),
        ("Universidad del Norte", "Comunidades Energéticas", None),
    ]
    plain = moves_where(user=world.staff_co, as_of=AS_OF, since=SINCE, initiative__country=world.co)
    assert _pairs(found) == _pairs(move for move in plain if move.distance != 0)
    # Up to today, and within one initiative, as the map's moves_where answers them.
    for as_of, where in ((None, {"initiative__country": world.co}), (AS_OF, {"initiative": world.water})):
        found = moved_where(user=world.staff_co, as_of=as_of, since=SINCE, **where)
        plain = moves_where(user=world.staff_co, as_of=as_of, since=SINCE, **where)
        assert _pairs(found) == _pairs(move for move in plain if move.distance != 0)


def test_moved_loads_only_the_slice_asked_for_in_one_query(moved_world, django_assert_num_queries):
    world = moved_world
    found = moved_where(user=world.staff_co, as_of=AS_OF, since=SINCE, initiative__country=world.co)
    every = list(found)
    with django_assert_num_queries(1):
        page = found[1:3]
        assert [move.before.power for move in page] == [1, 2]  # the positions they moved from, loaded with them
        assert [str(move.stakeholder) for move in page] == ["Alcaldía de Uribia", "Fundación Energía Wayuu"]
    assert len(found) == 6 and found[-1] == every[-1] and found[0] == every[0]
    with pytest.raises(IndexError):
        found[6]
    with django_assert_num_queries(0):
        assert list(found[6:]) == []
    assert list(moved_where(user=world.partner_co, as_of=AS_OF, since=SINCE, initiative__country=world.co)) == []


def test_the_kept_order_follows_every_write(moved_world, django_assert_num_queries):
    world = moved_world

    def names() -> list[str]:
        found = moved_where(user=world.staff_co, as_of=AS_OF, since=SINCE, initiative=world.water)
        return [str(move.stakeholder) for move in found]

    assert names() == ["Alcaldía de Uribia", "Zona Norte (ZN)", "andes"]
    with django_assert_num_queries(0):  # the order is kept: only a slice is read
        moved_where(user=world.staff_co, as_of=AS_OF, since=SINCE, initiative=world.water)
    # A rename reorders the new ones (through update(), which sends no signal), a new assessment moves one.
    Stakeholder.objects.filter(name="andes").update(name="zapata")
    reassessed = Stakeholder.objects.get(name="Reassessed")
    Assessment.objects.create(
        stakeholder=reassessed,
        initiative=world.water,
        assessed_on=datetime.date(2026, 3, 20),
        power=5,
        capabilities=5,
        interest=5,
        stance=2,
    )
    assert names() == ["Reassessed", "Alcaldía de Uribia", "Zona Norte (ZN)", "zapata"]
    Assessment.objects.filter(initiative=world.water, assessed_on__gt=SINCE).delete()
    assert names() == []
