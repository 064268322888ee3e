"""Small SVG pieces drawn on the server: readable without JavaScript, printable, light on slow links.

Every fragment is built with `format_html`, so names and labels are escaped. Colours are never
written here: an element carries a colour class (`stance_class`, `palette_class`) and draws with
`currentColor`; `static/css/site.css` holds every colour as a custom property, so charts, maps,
nodes and swatches show the same colour for the same thing, and the strict CSP holds (no style=).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
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
