"""Readable maps: no two labels overlap on the stakeholder map or the network, and moves start at the mover.

Label boxes are measured from the SVG with the same text-width estimate the placement uses
(`core.svg.label_box`), so the test checks the drawing, not the placement's own bookkeeping.
"""

import datetime
import html
import itertools
import random
import re

import pytest
from django.core.management import call_command

from coalitions.charts import HEIGHT, WIDTH, MapPoint, map_points, stakeholder_map
from coalitions.models import Initiative
from core.svg import label_box
from stakeholders.models import Relationship, Stakeholder
from stakeholders.network import build_network

from .conftest import assess

LABEL = re.compile(r'<text class="label" x="([^"]+)" y="([^"]+)" font-size="([^"]+)">([^<]*)</text>')
DAY = datetime.date(2026, 3, 1)


def label_boxes(svg: str):
    return [
        (html.unescape(text), label_box(float(x), float(y), html.unescape(text), float(size)))
        for x, y, size, text in LABEL.findall(str(svg))
    ]


def assert_no_overlap(svg: str) -> None:
    boxes = label_boxes(svg)
    assert boxes, "no label drawn"
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.intersects(box_b)]
    assert clashes == []


def generated_points(count: int, seed: int = 3) -> list[MapPoint]:
    rng = random.Random(seed)
    points = []
    for index in range(count):
        moved = rng.random() < 0.4
        points.append(
            MapPoint(
                stakeholder_id=index + 1,
                name=f"Asociación de Productores Número {index} de la Región" if index % 3 else f"Actor {index}",
                url=f"/s/{index}/",
                sector="private",
                assessed_on=DAY,
                power=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                capabilities=rng.randint(1, 5),
                stance=rng.randint(-2, 2),
                previous_on=DAY - datetime.timedelta(days=30) if moved else None,
                previous_power=rng.randint(1, 5) if moved else None,
                previous_interest=rng.randint(1, 5) if moved else None,
                previous_stance=0 if moved else None,
            )
        )
    return points


def test_no_two_map_labels_overlap_for_200_actors():
    drawing = stakeholder_map(generated_points(200), title="t")
    assert_no_overlap(drawing.svg)
    # Crowded cells fall back to numbers, each listed once in the legend.
    numbers = [number for number, _ in drawing.numbered]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_a_long_name_is_shortened_and_kept_whole_for_hover_and_focus():
    [point] = generated_points(2)[1:]
    svg = str(stakeholder_map([point], title="t").svg)
    [(shown, _)] = label_boxes(svg)
    assert shown.endswith("…") and len(shown) < len(point.name)
    assert 'visibility="hidden" x="' in svg and f">{point.name}</text>" in svg
    assert f"<title>{point.name}: " in svg


def test_no_two_network_labels_overlap_for_200_actors():
    rng = random.Random(5)
    stakeholders = [
        Stakeholder(pk=index + 1, name=f"Organización Comunitaria {index}", acronym="", sector="community")
        for index in range(200)
    ]
    relationships = []
    for index in range(400):
        source, target = rng.sample(stakeholders, 2)
        relationships.append(Relationship(pk=index + 1, source=source, target=target, kind="alliance", strength=1))
    network = build_network(stakeholders, relationships, stances={}, colour_by="sector")
    assert_no_overlap(network.svg)


def test_each_move_starts_at_the_actors_own_previous_position():
    # Three actors on one row, each moved one cell right: the old arrows chained into each other.
    points = [
        MapPoint(
            stakeholder_id=pk,
            name=f"Actor {pk}",
            url=f"/s/{pk}/",
            sector="private",
            assessed_on=DAY,
            power=3,
            interest=pk + 1,
            capabilities=2,
            stance=0,
            previous_on=DAY - datetime.timedelta(days=9),
            previous_power=3,
            previous_interest=pk,
            previous_stance=0,
        )
        for pk in (1, 2, 3)
    ]
    svg = str(stakeholder_map(points, title="t").svg)
    dots = {
        int(pk): (float(x), float(y), float(r))
        for pk, x, y, r in re.findall(
            r'data-stakeholder="(\d+)" data-power[^>]*><title>[^<]*</title><circle class="[^"]+" '
            r'cx="([^"]+)" cy="([^"]+)" r="([^"]+)"',
            svg,
        )
    }
    moves = re.findall(
        r'<g class="map-move" data-stakeholder="(\d+)"><circle class="map-previous" cx="([^"]+)" cy="([^"]+)" '
        r'r="([^"]+)"[^>]*/><line x1="([^"]+)" y1="([^"]+)" x2="([^"]+)" y2="([^"]+)"',
        svg,
    )
    assert sorted(int(m[0]) for m in moves) == [1, 2, 3]
    for pk, gx, gy, gr, x1, y1, x2, y2 in moves:
        gx, gy, gr, x1, y1, x2, y2 = map(float, (gx, gy, gr, x1, y1, x2, y2))
        # The line leaves the edge of this actor's hollow dot and ends at the edge of its own dot.
        assert abs(((x1 - gx) ** 2 + (y1 - gy) ** 2) ** 0.5 - gr) < 0.2
        x, y, r = dots[int(pk)]
        assert abs(((x2 - x) ** 2 + (y2 - y) ** 2) ** 0.5 - (r + 2)) < 0.2
        # No move starts on or inside another actor's dot.
        for other, (ox, oy, orad) in dots.items():
            if other != int(pk):
                assert ((gx - ox) ** 2 + (gy - oy) ** 2) ** 0.5 > orad + gr


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo is for development
    call_command("seed_demo")


@pytest.mark.django_db
def test_no_two_labels_overlap_on_the_demo_maps_and_networks(demo, django_user_model):
    admin = django_user_model.objects.get(username="admin")

    for initiative in Initiative.objects.all():
        points = map_points(initiative=initiative, user=admin)
        if points:
            assert_no_overlap(stakeholder_map(points, title="t").svg)
    for country_id in Stakeholder.objects.values_list("country", flat=True).distinct():
        relationships = list(Relationship.objects.filter(source__country=country_id, target__country=country_id))
        ids = {r.source_id for r in relationships} | {r.target_id for r in relationships}
        if ids:
            network = build_network(
                list(Stakeholder.objects.filter(pk__in=ids)), relationships, stances={}, colour_by="sector"
            )
            assert_no_overlap(network.svg)


@pytest.mark.django_db
def test_the_initiative_page_opens_on_its_map_and_links_its_network_and_download(staff_client, world):
    assess(world.co_initiative, [world.co_org], DAY)
    page = staff_client.get(world.co_initiative.get_absolute_url()).content.decode()
    assert page.index('id="map"') < page.index('id="coalitions-heading"')
    # The map is a panel the page loads in place of its placeholder.
    panel = staff_client.get(f"/initiatives/{world.co_initiative.pk}/map/", headers={"HX-Request": "true"})
    panel = panel.content.decode()
    assert 'id="map"' in panel
    assert f"/relationships/?initiative={world.co_initiative.pk}" in panel
    assert f"/initiatives/{world.co_initiative.pk}/map.svg" in panel


@pytest.mark.django_db
def test_the_map_downloads_as_the_same_svg_with_its_colours(staff_client, world):
    assess(world.co_initiative, [world.co_org], DAY)
    page = staff_client.get(f"/initiatives/{world.co_initiative.pk}/map/")
    response = staff_client.get(f"/initiatives/{world.co_initiative.pk}/map.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"].startswith("attachment;") and ".svg" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("<?xml")
    assert ".stance-2{color:#" in body
    # The same drawing as on the page (its map panel), with the style added.
    drawing = re.sub(r"<style>.*?</style>", "", body.split("\n", 1)[1])
    assert drawing.replace(f' width="{WIDTH}" height="{HEIGHT}"', "", 1) == str(page.context["map_svg"])


@pytest.mark.django_db
def test_the_network_downloads_as_svg(staff_client, world):
    Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    response = staff_client.get("/relationships/network.svg", {"country": world.co.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'class="node"' in response.content.decode()
    page = staff_client.get("/relationships/", {"country": world.co.pk}).content.decode()
    assert f"/relationships/network.svg?country={world.co.pk}" in page


@pytest.mark.django_db
def test_the_downloads_are_staff_pages(client, world):
    assert client.get(f"/initiatives/{world.co_initiative.pk}/map.svg")["Location"].startswith("/accounts/login/")
    assert client.get("/relationships/network.svg")["Location"].startswith("/accounts/login/")
