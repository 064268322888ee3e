from decimal import Decimal

from planning.charts import grouped_bar_chart, nice_ceiling, short_number


def test_bars_scale_to_a_round_top_and_skip_missing_values():
    chart = grouped_bar_chart(
        title="t", categories=["2023", "2024"], series=[("A", [Decimal(50), None]), ("B", [Decimal(100), Decimal(0)])]
    )
    assert len(chart.bars) == 2
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.y == 16  # the top margin: 100 is the top of the scale
    assert [tick.label for tick in chart.ticks] == ["0", "25", "50", "75", "100"]


def test_empty_chart_has_no_bars():
    assert not grouped_bar_chart(title="t", categories=[], series=[]).bars
    assert not grouped_bar_chart(title="t", categories=["2024"], series=[("A", [None])]).bars


def test_round_numbers():
    assert nice_ceiling(0) == 1
    assert nice_ceiling(252_000_000) == 300_000_000
    assert nice_ceiling(909_000_000) == 1_000_000_000
    assert short_number(1_500_000) == "1.5M"
    assert short_number(750_000_000) == "750M"
