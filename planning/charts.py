"""Server-side SVG bar charts: geometry computed here, drawn by `planning/includes/bar_chart.html`.

No JavaScript and no inline styles (strict CSP): each bar carries its series' colour class
(`core.svg.palette_class`) and is drawn in `currentColor`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core.svg import palette_class

WIDTH = 720
HEIGHT = 280
MARGIN_LEFT = 90
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour_class: str
    series: int
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class CategoryLabel:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour_class: str
    y: float


@dataclass
class BarChart:
    """A grouped vertical bar chart ready to draw."""

    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    categories: list[CategoryLabel] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    baseline_y: float = HEIGHT - MARGIN_BOTTOM
    plot_left: int = MARGIN_LEFT
    plot_right: int = WIDTH - MARGIN_RIGHT


def short_number(value: Decimal | float) -> str:
    """1 234 567 -> 1.2M: axis labels must stay short."""
    value = float(value)
    for factor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5, 3, 4 or 5 times a power of ten at or above `value`, so ticks are round."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 3, 4, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def grouped_bar_chart(
    *, title: str, categories: list[str], series: list[tuple[str, list[Decimal | None]]], format_value=short_number
) -> BarChart:
    """Bars grouped by category (e.g. year), one bar per series (e.g. funding source) in each group."""
    chart = BarChart(title=title)
    values = [float(v) for _label, row in series for v in row if v]
    if not categories or not values:
        return chart
    top = nice_ceiling(max(values))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    group_width = plot_width / len(categories)
    bar_width = group_width * 0.8 / max(len(series), 1)
    for i in range(TICKS + 1):
        amount = top * i / TICKS
        chart.ticks.append(
            Tick(y=round(HEIGHT - MARGIN_BOTTOM - plot_height * i / TICKS, 1), label=short_number(amount))
        )
    for c, category in enumerate(categories):
        group_left = MARGIN_LEFT + c * group_width + group_width * 0.1
        chart.categories.append(CategoryLabel(x=round(MARGIN_LEFT + (c + 0.5) * group_width, 1), label=category))
        for s, (label, row) in enumerate(series):
            value = row[c]
            if not value:
                continue
            height = plot_height * float(value) / top
            chart.bars.append(
                Bar(
                    x=round(group_left + s * bar_width, 1),
                    y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                    width=round(bar_width * 0.92, 1),
                    height=round(height, 1),
                    colour_class=palette_class(s),
                    series=s,
                    title=f"{category} · {label}: {format_value(value)}",
                )
            )
    chart.legend = [
        LegendItem(label=label, colour_class=palette_class(s), y=MARGIN_TOP + 14 * s)
        for s, (label, _row) in enumerate(series)
    ]
    return chart
