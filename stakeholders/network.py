"""The relationship network: a graph of stakeholders and their ties, its figures and its drawing.

igraph computes the figures (betweenness centrality, connected groups) and the layout, in C; the
drawing is a server-side SVG so the page needs no JavaScript and prints as it looks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.svg import Anchor, Box, join, label_text, num, palette_class, place_labels, shorten, stance_class

from .models import Relationship, Stakeholder

if TYPE_CHECKING:
    from collections.abc import Iterable

    import igraph

#: Drawing more nodes than this makes an unreadable hairball (and a slow layout); the table
#: still lists every stakeholder, the drawing keeps the best-connected ones.
MAX_DRAWN_NODES = 300
#: Labels: the acronym, else the name shortened to this many characters (the full name on hover and focus).
LABEL_CHARS = 24
LABEL_FONT = 10

#: Each kind of tie: its colour class (the palette's blue for alliance, vermillion for conflict…)
#: and its dash pattern, so kinds stay apart in print and for colour-blind readers.
EDGE_STYLES = {
    Relationship.Kind.ALLIANCE: (palette_class(0), ""),
    Relationship.Kind.COLLABORATION: (palette_class(2), ""),
    Relationship.Kind.FUNDING: (palette_class(1), "6 3"),
    Relationship.Kind.MEMBERSHIP: (palette_class(11), "2 3"),
    Relationship.Kind.INFLUENCE: (palette_class(8), "8 3 2 3"),
    Relationship.Kind.CONFLICT: (palette_class(5), ""),
}

SECTOR_COLOURS = {value: palette_class(index) for index, value in enumerate(Stakeholder.Sector.values)}


@dataclass
class NodeFigures:
    stakeholder: Stakeholder
    stance: int | None
    degree: int = 0
    betweenness: float = 0.0
    colour_class: str = stance_class(None)
    stance_label: str = ""


@dataclass
class Network:
    nodes: list[NodeFigures]
    edges: list[Relationship]
    svg: SafeString
    drawn: int
    legend: list[tuple[str, str]] = field(default_factory=list)
    #: (number, name) of the drawn stakeholders labelled by a number because their name found no room.
    numbered: list[tuple[str, str]] = field(default_factory=list)
    density: float = 0.0
    components: int = 0


#: Above this many actors with ties, betweenness is estimated from a sample of source actors
#: (Brandes' algorithm costs one search of the network per source).
EXACT_BETWEENNESS_ACTORS = 1_000
SAMPLED_SOURCES = 500


def betweenness_of(actors: Iterable[int], ties: Iterable[tuple[int, int]]) -> dict[int, float]:
    """Each actor's betweenness centrality, normalised over the whole network as networkx does.

    `ties` are pairs of actors (each pair once). An actor without ties lies on no shortest path and
    starts none, so only the actors with ties are searched; the figures are then normalised by the
    whole network's size, which gives exactly networkx's result. igraph computes it (Brandes'
    algorithm in C, one search of the network per source): a country's network of thousands of
    actors is what the monthly snapshots read for every country. A network of more than
    `EXACT_BETWEENNESS_ACTORS` such actors is estimated from `SAMPLED_SOURCES` of them, drawn with a
    fixed seed and scaled up as networkx's `k` does: the same network gives the same figures, so the
    page, its cache and the monthly snapshots agree."""
    figures = dict.fromkeys(actors, 0.0)
    ties = list(ties)
    size = len(figures)
    tied_ids = sorted({pk for tie in ties for pk in tie})
    if size <= 2 or len(tied_ids) <= 2:
        return figures
    tied = _graph(tied_ids, ties)
    if len(tied_ids) > EXACT_BETWEENNESS_ACTORS:
        sources = random.Random(0).sample(range(len(tied_ids)), SAMPLED_SOURCES)  # noqa: S311 - a sample, not a secret
        # Each pair counted from its sampled ends only, scaled to the whole network (networkx's `k`).
        paths = [value * len(tied_ids) / SAMPLED_SOURCES for value in tied.betweenness(directed=False, sources=sources)]
    else:
        # Unnormalised, an undirected network's figure counts each pair of actors once (networkx's too).
        paths = tied.betweenness(directed=False)
    # networkx's normalised figure divides the ordered pairs' count by (n - 1)(n - 2).
    scale = 2 / ((size - 1) * (size - 2))
    figures.update({pk: paths[position] * scale for position, pk in enumerate(tied_ids)})
    return figures


def _graph(actors: list[int], ties: Iterable[tuple[int, int]]) -> igraph.Graph:
    """The igraph graph of these actors (vertex i is `actors[i]`) and the ties between them."""
    import igraph  # a web worker loads it only when it draws a network

    index = {pk: position for position, pk in enumerate(actors)}
    return igraph.Graph(n=len(actors), edges=[(index[a], index[b]) for a, b in ties], directed=False)


def _strongest_ties(relationships: list[Relationship]) -> dict[tuple[int, int], int]:
    """Each pair of actors tied (the lower id first) and the strength of its strongest tie: several
    ties between two actors count once for degree and betweenness."""
    strongest: dict[tuple[int, int], int] = {}
    for rel in relationships:
        pair = (min(rel.source_id, rel.target_id), max(rel.source_id, rel.target_id))
        strongest[pair] = max(rel.strength, strongest.get(pair, 0))
    return strongest


def build_network(
    stakeholders: list[Stakeholder],
    relationships: list[Relationship],
    *,
    stances: dict[int, int],
    stance_labels: list[tuple[int, str]] = (),
    colour_by: str,
    draw: bool = True,
) -> Network:
    """Figures and drawing for these stakeholders and the relationships between them.

    `stances` (stakeholder id to stance) and `stance_labels` come from the caller: stance belongs
    to an actor per initiative, which the apps above this one hold. `draw=False` leaves out the
    drawing (its layout is the slow part): the monthly snapshots keep only the figures.
    """
    by_id = {stakeholder.pk: stakeholder for stakeholder in stakeholders}
    edges = [rel for rel in relationships if rel.source_id in by_id and rel.target_id in by_id]
    ties = _strongest_ties(edges)
    degrees = dict.fromkeys(by_id, 0)
    for a, b in ties:
        degrees[a] += 1
        degrees[b] += 1
    betweenness = betweenness_of(by_id, ties)
    nodes = []
    for pk, stakeholder in by_id.items():
        stance = stances.get(pk)
        if colour_by == "stance":
            colour = stance_class(stance)
        else:
            colour = SECTOR_COLOURS.get(stakeholder.sector, stance_class(None))
        label = str(dict(stance_labels).get(stance, ""))
        nodes.append(NodeFigures(stakeholder, stance, degrees[pk], betweenness.get(pk, 0.0), colour, label))
    nodes.sort(key=lambda node: (-node.betweenness, -node.degree, node.stakeholder.name))

    drawn_ids = {node.stakeholder.pk for node in sorted(nodes, key=lambda n: -n.degree)[:MAX_DRAWN_NODES]}
    if draw:
        drawn_ties = [pair for pair in ties if pair[0] in drawn_ids and pair[1] in drawn_ids]
        svg, numbered = _draw(drawn_ties, [n for n in nodes if n.stakeholder.pk in drawn_ids], edges)
    else:
        drawn_ids, svg, numbered = set(), SafeString(""), []
    if colour_by == "stance":
        legend = [(stance_class(value), str(label)) for value, label in stance_labels]
        legend.append((stance_class(None), _("Not assessed")))
    else:
        present = {node.stakeholder.sector for node in nodes}
        sectors = Stakeholder.Sector.choices
        legend = [(SECTOR_COLOURS[value], str(label)) for value, label in sectors if value in present]
    return Network(
        nodes=nodes,
        edges=edges,
        svg=svg,
        drawn=len(drawn_ids),
        numbered=numbered,
        legend=legend,
        density=2 * len(ties) / (len(by_id) * (len(by_id) - 1)) if len(by_id) > 1 else 0.0,
        components=len(_graph(list(by_id), ties).connected_components()) if by_id else 0,
    )


#: Rounds of the force-directed layout: enough for a few hundred actors to settle.
LAYOUT_ROUNDS = 500


def _layout(actors: list[int], ties: list[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """Each actor's position, by Fruchterman and Reingold's force-directed layout (tied actors pull
    together, all push apart). It starts from positions drawn with a fixed seed, so the same data
    always gives the same picture and people can find their way."""
    import igraph  # a web worker loads it only when it draws a network

    if len(actors) == 1:
        return {actors[0]: (0.0, 0.0)}
    start = random.Random(7)  # noqa: S311 - a layout, not a secret
    seed = [[start.uniform(-1, 1), start.uniform(-1, 1)] for _ in actors]
    graph = _graph(actors, ties)
    # The layout also draws small random moves: from a generator of its own with a fixed seed, so
    # that a drawing kept in the cache and one drawn afresh are the same picture.
    igraph.set_random_number_generator(random.Random(7))  # noqa: S311
    try:
        layout = graph.layout_fruchterman_reingold(seed=seed, niter=LAYOUT_ROUNDS)
    finally:
        igraph.set_random_number_generator(random)
    return {pk: (x, y) for pk, (x, y) in zip(actors, layout.coords, strict=True)}


def _draw(
    ties: list[tuple[int, int]], nodes: list[NodeFigures], edges: list[Relationship]
) -> tuple[SafeString, list[tuple[str, str]]]:
    """The SVG, and (number, name) of the stakeholders whose label became a number."""
    # Wide side margins so the labels of nodes placed at the edge are not cut off.
    width, height, margin_x, margin_y = 960, 640, 110, 40
    if not nodes:
        return SafeString(""), []
    positions = _layout([node.stakeholder.pk for node in nodes], ties)
    xs = [pos[0] for pos in positions.values()]
    ys = [pos[1] for pos in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(pk: int) -> tuple[float, float]:
        px, py = positions[pk]
        return (
            margin_x + (px - min(xs)) / span_x * (width - 2 * margin_x),
            margin_y + (py - min(ys)) / span_y * (height - 2 * margin_y),
        )

    edge_parts = []
    for rel in edges:
        if rel.source_id not in positions or rel.target_id not in positions:
            continue
        (x1, y1), (x2, y2) = place(rel.source_id), place(rel.target_id)
        colour, dash = EDGE_STYLES.get(rel.kind, (palette_class(11), ""))
        edge_parts.append(
            format_html(
                '<line class="edge {}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="{}"{}>'
                "<title>{}</title></line>",
                colour,
                num(x1),
                num(y1),
                num(x2),
                num(y2),
                rel.strength,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                str(rel),
            )
        )
    max_degree = max((node.degree for node in nodes), default=0) or 1
    drawn = []
    for node in nodes:
        x, y = place(node.stakeholder.pk)
        drawn.append((node, x, y, 5 + 9 * node.degree / max_degree))
    # The best-connected stakeholders are labelled first: they get the nearest spots.
    anchors = [
        Anchor(
            node.stakeholder.pk, x, y, radius, node.stakeholder.acronym or shorten(node.stakeholder.name, LABEL_CHARS)
        )
        for node, x, y, radius in sorted(drawn, key=lambda item: (-item[0].degree, item[0].stakeholder.name))
    ]
    labels = place_labels(anchors, bounds=Box(0, 0, width, height), font_size=LABEL_FONT)
    node_parts = join(
        [
            format_html(
                '<a href="{}" class="node" data-stakeholder="{}"><title>{}</title>'
                '<circle class="{}" cx="{}" cy="{}" r="{}" fill="currentColor"/>{}</a>',
                node.stakeholder.get_absolute_url(),
                node.stakeholder.pk,
                node.stakeholder.name,
                node.colour_class,
                num(x),
                num(y),
                num(radius),
                label_text(
                    labels[node.stakeholder.pk],
                    full=node.stakeholder.name,
                    at=(x + radius + 2, y),
                    font_size=LABEL_FONT,
                ),
            )
            for node, x, y, radius in drawn
        ]
    )
    numbered = sorted(
        (
            (label.text, node.stakeholder.name)
            for node in nodes
            if (label := labels.get(node.stakeholder.pk)) and label.numbered
        ),
        key=lambda item: int(item[0]),
    )
    svg = format_html(
        '<svg class="network" role="group" aria-labelledby="network-title" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="network-title">{}</title><g>{}</g><g>{}</g></svg>',
        width,
        height,
        _("Relationship network"),
        join(edge_parts),
        node_parts,
    )
    return svg, numbered
