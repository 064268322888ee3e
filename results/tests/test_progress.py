"""Indicator progress is computed from baseline, target and the latest value, never typed in."""

import datetime
from decimal import Decimal as D

import pytest

from results.models import Direction, Indicator, IndicatorValue, TrackStatus, expected_share_of_time, progress_towards


def test_progress_is_the_share_of_the_way_from_baseline_to_target():
    assert progress_towards(baseline=D(10), target=D(30), current=D(20), direction=Direction.INCREASE) == D("0.5")


def test_progress_from_a_zero_baseline():
    assert progress_towards(baseline=D(0), target=D(200), current=D(50), direction=Direction.INCREASE) == D("0.25")


def test_progress_when_lower_is_better():
    # Poverty from 40% down to 20%: at 35% a quarter of the way is covered.
    assert progress_towards(baseline=D(40), target=D(20), current=D(35), direction=Direction.DECREASE) == D("0.25")


def test_progress_is_negative_when_moving_away_from_the_target():
    assert progress_towards(baseline=D(40), target=D(20), current=D(45), direction=Direction.DECREASE) < 0


def test_progress_with_a_missing_value_is_unknown():
    for missing in ("baseline", "target", "current"):
        values = {"baseline": D(1), "target": D(2), "current": D(1)} | {missing: None}
        assert progress_towards(direction=Direction.INCREASE, **values) is None


def test_progress_when_the_target_equals_the_baseline_is_all_or_nothing():
    hold = {"baseline": D(5), "target": D(5)}
    assert progress_towards(current=D(5), direction=Direction.INCREASE, **hold) == 1
    assert progress_towards(current=D(4), direction=Direction.INCREASE, **hold) == 0
    assert progress_towards(current=D(4), direction=Direction.DECREASE, **hold) == 1
    assert progress_towards(current=D(0), direction=Direction.DECREASE, **{"baseline": D(0), "target": D(0)}) == 1


def test_expected_share_of_time_is_clamped():
    halfway = expected_share_of_time(baseline_year=2020, target_year=2024, on=datetime.date(2022, 12, 31))
    assert round(halfway, 2) == D("0.50")
    assert expected_share_of_time(baseline_year=2020, target_year=2024, on=datetime.date(2019, 1, 1)) == 0
    assert expected_share_of_time(baseline_year=2020, target_year=2024, on=datetime.date(2030, 1, 1)) == 1
    assert expected_share_of_time(baseline_year=2024, target_year=2024, on=datetime.date(2024, 6, 1)) == 1


@pytest.fixture
def indicator(world):
    return Indicator.objects.create(
        initiative=world.co_initiative,
        name="Energy communities formed",
        unit="communities",
        baseline_value=D(0),
        baseline_year=2022,
        target_value=D(100),
        target_year=2026,
    )


def value(indicator, on, amount):
    return IndicatorValue.objects.create(indicator=indicator, period_end=on, value=D(amount))


def status(indicator, today=datetime.date(2025, 1, 1)):
    return Indicator.objects.with_values().get(pk=indicator.pk).progress(today=today)


def test_indicator_without_values_has_no_data(indicator):
    assert status(indicator).status == TrackStatus.NO_DATA
    assert status(indicator).percent is None


def test_indicator_without_target_has_no_progress(indicator):
    indicator.target_value = None
    indicator.save()
    value(indicator, datetime.date(2024, 12, 31), 10)
    assert status(indicator).status == TrackStatus.NO_TARGET


def test_indicator_ahead_of_time_is_on_track(indicator):
    value(indicator, datetime.date(2023, 12, 31), 5)
    value(indicator, datetime.date(2024, 12, 31), 60)  # half the time gone, 60% of the way
    progress = status(indicator)
    assert progress.status == TrackStatus.ON_TRACK
    assert progress.percent == 60
    assert round(progress.expected, 2) == D("0.50")


def test_indicator_behind_time_is_off_track(indicator):
    value(indicator, datetime.date(2024, 12, 31), 20)
    assert status(indicator).status == TrackStatus.OFF_TRACK


def test_indicator_uses_the_latest_value(indicator):
    value(indicator, datetime.date(2024, 12, 31), 20)
    value(indicator, datetime.date(2023, 12, 31), 90)
    assert status(indicator).percent == 20


def test_indicator_reaching_the_target_is_achieved(indicator):
    value(indicator, datetime.date(2024, 12, 31), 120)
    progress = status(indicator)
    assert progress.status == TrackStatus.ACHIEVED
    assert progress.bar_percent == 100


def test_indicator_past_its_deadline_without_the_target_is_off_track(indicator):
    value(indicator, datetime.date(2026, 12, 31), 95)
    assert status(indicator, today=datetime.date(2027, 3, 1)).status == TrackStatus.OFF_TRACK


def test_latest_value_costs_no_query_when_prefetched(indicator, django_assert_num_queries):
    value(indicator, datetime.date(2024, 12, 31), 20)
    loaded = Indicator.objects.with_values().get(pk=indicator.pk)
    with django_assert_num_queries(0):
        loaded.progress(today=datetime.date(2025, 1, 1))
