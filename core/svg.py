"""Small SVG pieces drawn on the server: readable without JavaScript, printable, light on slow links.

Every fragment is built with `format_html`, so names and labels are escaped; colours are
presentation attributes (fill=, stroke=), which the strict CSP allows, never style=.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

#: Colour-blind-safe qualitative palette (Okabe-Ito, then Tol's muted), for sectors and kinds.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#882255",
    "#44AA99",
    "#999933",
    "#777777",
)

#: Stance -2..+2: red (opposed) through grey (neutral) to blue (supportive).
STANCE_COLOURS = {-2: "#b2182b", -1: "#ef8a62", 0: "#999999", 1: "#67a9cf", 2: "#2166ac"}
NO_STANCE_COLOUR = "#dddddd"


def num(value: float) -> str:
    """A coordinate with one decimal: format_html escapes its arguments, so numbers go in as text."""
    return f"{value:.1f}"


def colour_for(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def join(parts: Sequence[SafeString]) -> SafeString:
    """Concatenate fragments that are each already escaped by format_html."""
    return mark_safe("".join(parts))  # each part is built with format_html


def swatch(colour: str, label: str = "") -> SafeString:
    """A small filled circle for a legend, with the label beside it."""
    return format_html(
        '<svg class="swatch-svg" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
        '<circle cx="6" cy="6" r="5.5" fill="{}"/></svg> {}',
        colour,
        label,
    )


def line_swatch(colour: str, label: str = "", dashed: bool = False) -> SafeString:
    return format_html(
        '<svg width="24" height="10" viewBox="0 0 24 10" aria-hidden="true">'
        '<line x1="0" y1="5" x2="24" y2="5" stroke="{}" stroke-width="3"{}/></svg> {}',
        colour,
        mark_safe(' stroke-dasharray="4 3"') if dashed else "",
        label,
    )


@dataclass(frozen=True)
class Series:
    """One line of a time chart: a label, a colour and dated values."""

    label: str
    colour: str
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
        lines.append(format_html('<polyline class="series" points="{}" stroke="{}"/>', coords, line.colour))
        lines.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
                (
                    (num(x(day)), num(y(value)), line.colour, line.label, date_format(day, "SHORT_DATE_FORMAT"))
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
