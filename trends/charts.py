"""The history charts: figures of dated snapshots as `core.svg.time_chart` lines."""

import math
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.svg import Series, palette_class, time_chart

from .models import NetworkSnapshot

#: How many of the latest snapshot's most central actors get a line.
CENTRAL_LINES = 5


def axis_top(value: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def axis_labels(top: float, decimals: int) -> dict[float, str]:
    return {value: number_format(value, decimals) for value in (0, top / 2, top)}


def figure_chart(snapshots: Sequence[NetworkSnapshot], name: str, *, title: str, decimals: int = 0):
    """One figure of the snapshots over their months."""
    top = axis_top(max((getattr(row, name) for row in snapshots), default=0))
    series = [Series(title, palette_class(0), [(row.period, getattr(row, name)) for row in snapshots])]
    return time_chart(series, y_min=0, y_max=top, y_labels=axis_labels(top, decimals if top < 10 else 0), title=title)


def central_chart(snapshots: Sequence[NetworkSnapshot]):
    """Betweenness over time of the latest snapshot's most central actors, and the legend."""
    if not snapshots:
        return "", []
    leaders = [actor["id"] for actor in snapshots[-1].central[:CENTRAL_LINES]]
    names = {actor["id"]: actor["name"] for actor in snapshots[-1].central}
    points: dict[int, list] = {pk: [] for pk in leaders}
    for row in snapshots:
        for actor in row.central:
            if actor["id"] in points:
                points[actor["id"]].append((row.period, actor["betweenness"]))
    series = [Series(names[pk], palette_class(index), points[pk]) for index, pk in enumerate(leaders)]
    top = axis_top(max((value for line in series for _day, value in line.points), default=0))
    chart = time_chart(
        series, y_min=0, y_max=top, y_labels=axis_labels(top, 2), title=_("Betweenness of the most central actors")
    )
    return chart, [(line.colour_class, line.label) for line in series]
