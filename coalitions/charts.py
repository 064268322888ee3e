"""The stakeholder map: power by interest, drawn on the server as SVG.

SVG built here rather than by a JavaScript library: it is readable without JavaScript,
prints, and weighs a few kilobytes on a slow field connection. Every dynamic value goes
through `format_html`/`escape`; presentation attributes (`fill`, `stroke`) are not inline
styles, so the strict CSP holds.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import astuple, dataclass

from django.db.models import OuterRef, Subquery
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.access import is_staff_member
from core.short_tables import kept, table_version
from core.svg import Anchor, Box, label_box, label_text, num, place_labels, shorten, stance_class, text_width
from core.versions import rendering_key
from stakeholders.models import Stakeholder

from .models import Assessment

SCALE = range(1, 6)
CELL = 110
LEFT, TOP, RIGHT, BOTTOM = 70, 20, 20, 60
WIDTH = LEFT + CELL * len(SCALE) + RIGHT
HEIGHT = TOP + CELL * len(SCALE) + BOTTOM
#: Labels longer than this are shortened (the full name shows on hover and focus).
LABEL_CHARS = 22
LABEL_FONT = 10


@dataclass(frozen=True)
class MapPoint:
    """One actor's latest assessment in an initiative, and where it was the time before."""

    stakeholder_id: int
    name: str
    url: str
    sector: str
    assessed_on: datetime.date
    power: int
    interest: int
    capabilities: int
    stance: int
    previous_on: datetime.date | None = None
    previous_power: int | None = None
    previous_interest: int | None = None
    previous_stance: int | None = None
    assessment_id: int | None = None

    @property
    def stance_label(self) -> str:
        return Assessment.Stance(self.stance).label

    @property
    def previous_stance_label(self) -> str:
        return "" if self.previous_stance is None else Assessment.Stance(self.previous_stance).label

    @property
    def colour_class(self) -> str:
        return stance_class(self.stance)

    @property
    def moved(self) -> bool:
        return self.previous_power is not None and (
            (self.previous_power, self.previous_interest) != (self.power, self.interest)
        )


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float


def map_points(*, initiative, user, sector: str = "", as_of: datetime.date | None = None) -> list[MapPoint]:
    """The latest assessment of each actor (on or before `as_of`) with its previous position, in one query.

    The previous assessment comes from correlated subqueries rather than a second fetch of
    the whole history, so 500 actors cost what 5 cost.
    """
    previous = Assessment.objects.filter(
        stakeholder=OuterRef("stakeholder"), initiative=OuterRef("initiative"), assessed_on__lt=OuterRef("assessed_on")
    ).order_by("-assessed_on")
    assessments = Assessment.objects.visible_to(user).filter(initiative=initiative)
    latest = (
        (assessments.latest() if as_of is None else assessments.as_of(as_of))
        .select_related("stakeholder")
        .annotate(
            previous_on=Subquery(previous.values("assessed_on")[:1]),
            previous_power=Subquery(previous.values("power")[:1]),
            previous_interest=Subquery(previous.values("interest")[:1]),
            previous_stance=Subquery(previous.values("stance")[:1]),
        )
        .order_by("stakeholder__name", "stakeholder_id")
    )
    if sector:
        latest = latest.filter(stakeholder__sector=sector)
    # Each label translated once (`get_sector_display()` translates the whole choice list at each call).
    sectors = {value: str(label) for value, label in Stakeholder.Sector.choices}
    return [
        MapPoint(
            stakeholder_id=a.stakeholder_id,
            name=str(a.stakeholder),
            url=a.stakeholder.get_absolute_url(),
            sector=sectors.get(a.stakeholder.sector, a.stakeholder.sector),
            assessed_on=a.assessed_on,
            power=a.power,
            interest=a.interest,
            capabilities=a.capabilities,
            stance=a.stance,
            previous_on=a.previous_on,
            previous_power=a.previous_power,
            previous_interest=a.previous_interest,
            previous_stance=a.previous_stance,
            assessment_id=a.pk,
        )
        for a in latest
    ]


def stance_legend() -> list[tuple[int, str]]:
    """(stance, label) pairs for the legend printed beside the map (`stance_class` colours the swatches)."""
    return [(int(stance), stance.label) for stance in Assessment.Stance]


def _cell_origin(power: int, interest: int) -> tuple[float, float]:
    return LEFT + (interest - 1) * CELL, TOP + (5 - power) * CELL


def _positions(points: list[MapPoint]) -> tuple[dict[int, Dot], dict[int, Dot]]:
    """Centre and radius of each actor now, and of each moved actor where it stood before.

    Actors sharing a cell are spread on a small grid; an actor that moved keeps a slot of its own
    (a hollow dot) in the cell it left, so its arrow starts there and nowhere near another actor.
    """
    cells: dict[tuple[int, int], list[tuple[MapPoint, bool]]] = defaultdict(list)
    for point in points:
        cells[(point.power, point.interest)].append((point, False))
        if point.moved:
            cells[(point.previous_power, point.previous_interest)].append((point, True))
    now, before = {}, {}
    for (power, interest), members in cells.items():
        members.sort(key=lambda m: (m[1], m[0].name.lower(), m[0].stakeholder_id))
        columns = math.ceil(math.sqrt(len(members)))
        rows = math.ceil(len(members) / columns)
        x0, y0 = _cell_origin(power, interest)
        dx, dy = CELL / (columns + 1), CELL / (rows + 1)
        largest = min(dx, dy) * 0.45
        for index, (point, previous) in enumerate(members):
            column, row = index % columns, index // columns
            radius = min(4 + 2 * point.capabilities, largest)
            dot = Dot(x0 + (column + 1) * dx, y0 + (row + 1) * dy, radius)
            (before if previous else now)[point.stakeholder_id] = dot
    return now, before


def _arrow(point: MapPoint, start: Dot, end: Dot) -> SafeString:
    """The actor's own move: a hollow dot where it stood before and a line from it to the actor now."""
    length = math.hypot(end.x - start.x, end.y - start.y) or 1
    ux, uy = (end.x - start.x) / length, (end.y - start.y) / length
    return format_html(
        '<g class="map-move" data-stakeholder="{}"><circle class="map-previous" cx="{}" cy="{}" r="{}" fill="none" '
        'stroke="#444" stroke-width="1" stroke-dasharray="2 2"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444" stroke-width="1.5" '
        'stroke-dasharray="4 3" marker-end="url(#map-arrowhead)"/></g>',
        point.stakeholder_id,
        num(start.x),
        num(start.y),
        num(start.radius),
        num(start.x + ux * start.radius),
        num(start.y + uy * start.radius),
        num(end.x - ux * (end.radius + 2)),
        num(end.y - uy * (end.radius + 2)),
    )


QUADRANT_FONT = 11


def _corners() -> list[tuple[float, float, str, str]]:
    """The four quadrant names: x, baseline y, text anchor, text."""
    plot = CELL * len(SCALE)
    return [
        (LEFT + 6, TOP + 16, "start", _("Keep satisfied")),
        (LEFT + plot - 6, TOP + 16, "end", _("Manage closely")),
        (LEFT + 6, TOP + plot - 8, "start", _("Monitor")),
        (LEFT + plot - 6, TOP + plot - 8, "end", _("Keep informed")),
    ]


def _corner_boxes() -> list[Box]:
    """Where the quadrant names are drawn, so actor labels keep off them."""
    boxes = []
    for x, y, anchor, text in _corners():
        start = x - text_width(text, QUADRANT_FONT) if anchor == "end" else x
        boxes.append(label_box(start, y, text, QUADRANT_FONT))
    return boxes


def _grid() -> SafeString:
    parts = []
    plot = CELL * len(SCALE)
    for step in range(len(SCALE) + 1):
        offset = step * CELL
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d0d4d9"/>',
                LEFT + offset,
                TOP,
                LEFT + offset,
                TOP + plot,
            )
        )
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d0d4d9"/>',
                LEFT,
                TOP + offset,
                LEFT + plot,
                TOP + offset,
            )
        )
    for score in SCALE:
        x, y = _cell_origin(score, score)
        parts.append(
            format_html('<text x="{}" y="{}" text-anchor="middle">{}</text>', x + CELL / 2, TOP + plot + 18, score)
        )
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end">{}</text>', LEFT - 8, y + CELL / 2 + 4, score))
    half = plot / 2
    corners = _corners()
    parts.append(
        format_html_join(
            "",
            '<text class="map-quadrant" x="{}" y="{}" text-anchor="{}" fill="#5a6470" font-size="11">{}</text>',
            corners,
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>',
            LEFT + half,
            TOP + plot + 42,
            _("Interest in the shared objective →"),
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-weight="bold" transform="rotate(-90 {} {})">{}</text>',
            22,
            TOP + half,
            22,
            TOP + half,
            _("Power to make or block change →"),
        )
    )
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class StakeholderMap:
    """The drawn map and the actors whose label became a number: (number, name) for the legend."""

    svg: SafeString
    numbered: list[tuple[str, str]]


def stakeholder_map_svg(points: list[MapPoint], *, title: str) -> SafeString:
    """The whole map as one <svg> element; each actor is a link to its stakeholder page."""
    return stakeholder_map(points, title=title).svg


#: How long a drawing is kept: its key is everything it is drawn from, so it never goes stale.
DRAWING_TIMEOUT = 24 * 60 * 60


def points_key(points: list[MapPoint], *parts) -> str:
    """The cache key of a rendering of these points (`rendering_key`: with the language, time zone and code)."""
    return rendering_key("coalitions/map", [astuple(point) for point in points], *parts)


def map_key(initiative, user, *parts) -> str:
    """The cache key of something drawn from an initiative's assessments (the map, its table, the API's map).

    Made of the versions of the assessments' and the stakeholders' tables (core.short_tables), which
    every write to them changes (`update()` too), rather than of the rows themselves: a kept map is
    found without reading its few hundred rows. Program staff read every assessment, so what they
    are shown depends on the initiative and `parts` alone; anyone else's is their own.
    """
    scope = "staff" if is_staff_member(user) else f"user:{user.pk}"
    return rendering_key("coalitions/map", initiative.pk, table_version(Assessment, Stakeholder), scope, *parts)


def stakeholder_map(points: list[MapPoint], *, title: str) -> StakeholderMap:
    """The map and its numbered legend; labels are placed so that no two overlap.

    Kept in the cache under a key of every value of every point and the title: placing the labels
    of a few hundred actors is most of an initiative page's work, and a new or changed assessment
    is another key (nothing to invalidate).
    """
    key = points_key(points, "drawing", title)
    return kept(key, lambda: _draw(points, title=title), timeout=DRAWING_TIMEOUT)


def _draw(points: list[MapPoint], *, title: str) -> StakeholderMap:
    now, before = _positions(points)
    plot = CELL * len(SCALE)
    # Labels of the most powerful, most interested actors are placed first: they get the best spots.
    order = sorted(points, key=lambda p: (-p.power * p.interest, -p.capabilities, p.name.lower(), p.stakeholder_id))
    anchors = [
        Anchor(
            p.stakeholder_id,
            now[p.stakeholder_id].x,
            now[p.stakeholder_id].y,
            now[p.stakeholder_id].radius,
            shorten(p.name, LABEL_CHARS),
        )
        for p in order
    ]
    obstacles = [Box(d.x - d.radius, d.y - d.radius, d.x + d.radius, d.y + d.radius) for d in before.values()]
    labels = place_labels(
        anchors,
        bounds=Box(LEFT, TOP, LEFT + plot, TOP + plot),
        font_size=LABEL_FONT,
        obstacles=obstacles + _corner_boxes(),
    )
    numbered = [
        (labels[p.stakeholder_id].text, p.name)
        for p in order
        if labels[p.stakeholder_id] and labels[p.stakeholder_id].numbered
    ]
    numbered.sort(key=lambda item: int(item[0]))
    arrows, dots = [], []
    for point in points:
        dot = now[point.stakeholder_id]
        if point.moved:
            arrows.append(_arrow(point, before[point.stakeholder_id], dot))
        tooltip = _("%(name)s: power %(power)s, interest %(interest)s, capabilities %(capabilities)s, %(stance)s") % {
            "name": point.name,
            "power": point.power,
            "interest": point.interest,
            "capabilities": point.capabilities,
            "stance": point.stance_label,
        }
        label = label_text(
            labels[point.stakeholder_id], full=point.name, at=(dot.x + dot.radius + 2, dot.y), font_size=LABEL_FONT
        )
        dots.append(
            format_html(
                '<a href="{}" class="map-actor" data-stakeholder="{}" data-power="{}" data-interest="{}">'
                '<title>{}</title><circle class="{}" cx="{}" cy="{}" r="{}" fill="currentColor" '
                'stroke="#1b1f24" stroke-width="1"/>{}</a>',
                point.url,
                point.stakeholder_id,
                point.power,
                point.interest,
                tooltip,
                point.colour_class,
                num(dot.x),
                num(dot.y),
                num(dot.radius),
                label,
            )
        )
    description = _("%(count)s actors placed by power (vertical) and interest (horizontal).") % {"count": len(points)}
    svg = format_html(
        '<svg class="stakeholder-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="group" '
        'aria-labelledby="map-title map-desc" font-family="system-ui, sans-serif" font-size="12">'
        '<title id="map-title">{}</title><desc id="map-desc">{}</desc>'
        '<defs><marker id="map-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#fff"/>{}'
        '<g class="map-moves">{}</g><g class="map-actors">{}</g></svg>',
        WIDTH,
        HEIGHT,
        title,
        description,
        WIDTH,
        HEIGHT,
        _grid(),
        mark_safe("".join(arrows)),
        mark_safe("".join(dots)),
    )
    return StakeholderMap(svg=svg, numbered=numbered)
