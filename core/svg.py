"""Small SVG pieces drawn on the server: readable without JavaScript, printable, light on slow links.

Every fragment is built with `format_html`, so names and labels are escaped. Colours are never
written here: an element carries a colour class (`stance_class`, `palette_class`) and draws with
`currentColor`; `static/css/site.css` holds every colour as a custom property, so charts, maps,
nodes and swatches show the same colour for the same thing, and the strict CSP holds (no style=).
"""

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe

#: How many qualitative colours site.css defines (`--palette-0` …): sectors, kinds, series.
PALETTE_SIZE = 12


def palette_class(index: int) -> str:
    """The class of the index-th qualitative colour (it wraps round)."""
    return f"palette-{index % PALETTE_SIZE}"


def stance_class(stance: int | None) -> str:
    """The class of a stance's colour (-2 opposed … 2 champion; None: not assessed)."""
    return "stance-none" if stance is None else f"stance-{int(stance)}"


def num(value: float) -> str:
    """A coordinate with one decimal: format_html escapes its arguments, so numbers go in as text."""
    return f"{value:.1f}"


def join(parts: Sequence[SafeString]) -> SafeString:
    """Concatenate fragments that are each already escaped by format_html."""
    return mark_safe("".join(parts))  # each part is built with format_html


@dataclass(frozen=True)
class Series:
    """One line of a time chart: a label, a colour class (`palette_class`) and dated values."""

    label: str
    colour_class: str
    points: Sequence[tuple[datetime.date, float]]


def time_chart(
    series: Sequence[Series],
    *,
    y_min: float,
    y_max: float,
    y_labels: dict[float, str],
    title: str,
    width: int = 560,
    height: int = 200,
) -> SafeString:
    """A small line chart of values over dates (e.g. an actor's stance per initiative)."""
    left, right, top, bottom = 110, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    dates = [day for line in series for day, _ in line.points]
    if not dates:
        return SafeString("")
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)

    def x(day: datetime.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return top + plot_h * (y_max - value) / (y_max - y_min)

    grid = format_html_join(
        "",
        '<line class="gridline" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        (
            (left, num(y(value)), left + plot_w, num(y(value)), left - 6, num(y(value)), label)
            for value, label in y_labels.items()
        ),
    )
    axis_labels = format_html(
        '<text x="{}" y="{}" text-anchor="start">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>',
        left,
        height - 8,
        date_format(first, "SHORT_DATE_FORMAT"),
        left + plot_w,
        height - 8,
        date_format(last, "SHORT_DATE_FORMAT") if last != first else "",
    )
    lines = []
    for line in series:
        points = sorted(line.points)
        coords = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
        lines.append(
            format_html('<polyline class="series {}" points="{}" stroke="currentColor"/>', line.colour_class, coords)
        )
        lines.append(
            format_html_join(
                "",
                '<circle class="{}" cx="{}" cy="{}" r="4" fill="currentColor"><title>{}: {}</title></circle>',
                (
                    (line.colour_class, num(x(day)), num(y(value)), line.label, date_format(day, "SHORT_DATE_FORMAT"))
                    for day, value in points
                ),
            )
        )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}{}</svg>",
        width,
        height,
        width,
        height,
        title,
        grid,
        axis_labels,
        join(lines),
    )


# --- Labels that do not overlap -------------------------------------------------------------------
#
# Text is measured by an estimate, not by a font: the server has no fonts and the reader's browser
# picks its own. `text_width` is deliberately generous (most sans-serif letters are narrower than
# 0.62 em), and the tests that check for overlaps use the same estimate as the placement.

#: Average advance of one character, in ems, for the sans-serif fonts the site uses.
CHAR_WIDTH_EM = 0.62
#: A label's box is this many ems tall; the baseline sits `BASELINE_EM` below its top.
LINE_HEIGHT_EM = 1.25
BASELINE_EM = 0.95
#: Space kept between a label and its dot, and between labels.
LABEL_GAP = 2.0


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle (x0, y0) to (x1, y1) in SVG user units."""

    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: "Box") -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH_EM


def label_box(x: float, y: float, text: str, font_size: float) -> Box:
    """The box of a `text-anchor="start"` label whose baseline starts at (x, y)."""
    top = y - BASELINE_EM * font_size
    return Box(x, top, x + text_width(text, font_size), top + LINE_HEIGHT_EM * font_size)


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters with an ellipsis (the full text goes in a title)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Anchor:
    """A dot to label: its key, centre, radius, and the short text wanted beside it."""

    key: int
    x: float
    y: float
    radius: float
    text: str


@dataclass(frozen=True)
class PlacedLabel:
    """Where a label was put: baseline start (x, y) and its text (the short name, or a number)."""

    x: float
    y: float
    text: str
    numbered: bool


def _candidates(anchor: Anchor, width: float, height: float) -> list[tuple[float, float]]:
    """Top-left corners of boxes around a dot, nearest first: below, above, right, left, diagonals."""
    r, gap = anchor.radius, LABEL_GAP
    cx, cy = anchor.x, anchor.y
    spots = []
    for ring in (0.0, height):
        spots += [
            (cx - width / 2, cy + r + gap + ring),
            (cx - width / 2, cy - r - gap - height - ring),
            (cx + r + gap + ring, cy - height / 2),
            (cx - r - gap - width - ring, cy - height / 2),
            (cx + r + gap / 2 + ring, cy + r / 2 + ring),
            (cx - r - gap / 2 - width - ring, cy + r / 2 + ring),
            (cx + r + gap / 2 + ring, cy - r / 2 - height - ring),
            (cx - r - gap / 2 - width - ring, cy - r / 2 - height - ring),
        ]
    return spots


def place_labels(
    anchors: Sequence[Anchor], *, bounds: Box, font_size: float, obstacles: Sequence[Box] = ()
) -> dict[int, PlacedLabel | None]:
    """Greedy placement: each label, in the given order, takes the first free spot around its dot.

    A spot is free when its box stays within `bounds`, covers no dot and meets no label placed
    before. A label with no free spot is replaced by a number (1, 2, … in order), placed the same
    way; a dot whose number finds no spot either is left unlabelled (None) and is still named by
    its title and by the legend or table beside the drawing.
    """
    dots = [Box(a.x - a.radius, a.y - a.radius, a.x + a.radius, a.y + a.radius) for a in anchors]
    dots += obstacles
    taken: list[Box] = []
    result: dict[int, PlacedLabel | None] = {}
    number = 0

    def free(box: Box) -> bool:
        return (
            box.inside(bounds)
            and not any(box.intersects(other) for other in dots)
            and not any(box.intersects(other) for other in taken)
        )

    def attempt(anchor: Anchor, text: str) -> Box | None:
        width, height = text_width(text, font_size), LINE_HEIGHT_EM * font_size
        for x0, y0 in _candidates(anchor, width, height):
            box = Box(x0, y0, x0 + width, y0 + height)
            if free(box):
                return box
        return None

    for anchor in anchors:
        box = attempt(anchor, anchor.text)
        if box is not None:
            taken.append(box)
            result[anchor.key] = PlacedLabel(box.x0, box.y0 + BASELINE_EM * font_size, anchor.text, False)
            continue
        box = attempt(anchor, str(number + 1))
        if box is not None:
            number += 1
            taken.append(box)
            result[anchor.key] = PlacedLabel(box.x0, box.y0 + BASELINE_EM * font_size, str(number), True)
        else:
            result[anchor.key] = None
    return result


def label_text(
    placed: PlacedLabel | None, *, full: str, at: tuple[float, float], font_size: float, css_class: str = "label"
) -> SafeString:
    """The visible label, and, when it is shortened or a number, the full name drawn hidden beside it.

    The hidden copy shows while the actor's link is hovered or focused (site.css); the link's
    <title> names the actor for screen readers and as the hover tip.
    """
    if placed is None:
        return format_html(
            '<text class="label-full" visibility="hidden" x="{}" y="{}" font-size="{}">{}</text>',
            num(at[0]),
            num(at[1]),
            font_size,
            full,
        )
    visible = format_html(
        '<text class="{}" x="{}" y="{}" font-size="{}">{}</text>',
        css_class,
        num(placed.x),
        num(placed.y),
        font_size,
        placed.text,
    )
    if placed.text == full:
        return visible
    return visible + format_html(
        '<text class="label-full" visibility="hidden" x="{}" y="{}" font-size="{}">{}</text>',
        num(placed.x),
        num(placed.y),
        font_size,
        full,
    )


# --- A drawing as a file of its own ---------------------------------------------------------------

_COLOUR = re.compile(r"--((?:palette|stance)-(?:-?\d+|none)):\s*(#[0-9A-Fa-f]{3,8})")


@functools.cache
def _colour_rules() -> str:
    """The colour classes as CSS rules, read from site.css so the file shows the page's colours."""
    path = finders.find("css/site.css") or staticfiles_storage.path("css/site.css")
    with open(path, encoding="utf-8") as css:
        pairs = _COLOUR.findall(css.read())
    return "".join(f".{name}{{color:{value}}}" for name, value in pairs)


def standalone_svg(svg: SafeString) -> str:
    """The drawing as an .svg file: an XML declaration and its colours written into a <style>.

    The page's stylesheet colours the drawing by class; a downloaded file has no stylesheet, so
    the rules travel inside it (a file, not a page, so the CSP's ban on inline styles is not at stake).
    """
    style = f"<style>{_colour_rules()}.label,.label-full{{paint-order:stroke;stroke:#fff;stroke-width:3px}}</style>"
    body = str(svg)
    head_end = body.index(">") + 1
    size = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', body[:head_end])
    if size and " width=" not in body[:head_end]:
        # A file opened on its own (or drawn onto a canvas for PNG) needs its size.
        body = body[: head_end - 1] + f' width="{size[1]}" height="{size[2]}"' + body[head_end - 1 :]
        head_end = body.index(">") + 1
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body[:head_end] + style + body[head_end:]


def svg_download(svg: SafeString, filename: str) -> HttpResponse:
    """A response that downloads the drawing as `filename` (.svg)."""
    response = HttpResponse(standalone_svg(svg), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
