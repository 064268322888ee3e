"""The scale curve's arithmetic and naming (`make bench-scale`), without running a benchmark."""

from bench.scale import curve, database_for, label, markdown


def run(ratios: dict[str, float], seconds: float = 1.0) -> dict:
    scenarios = {"baseline_values": {"title": "(c)", "ratio_c": 1.0}}
    for name, ratio in ratios.items():
        scenarios[name] = {"title": name, "ratio_c": ratio, "queries": 5, "cpu_ms_per_request": 2.0}
    return {"scenarios": scenarios, "write_paths": {"import": {"seconds": seconds}}, "load": {}, "machine": {}}


def test_each_scale_has_a_database_of_its_own():
    assert label(5_000) == "5k" and label(500_000) == "500k" and label(1_500) == "1500"
    url = "postgres://postgres@127.0.0.1:5432/h_bench"
    assert database_for(url, 50_000) == "postgres://postgres@127.0.0.1:5432/h_bench_50k"


def test_a_ratio_that_falls_below_four_fifths_at_the_largest_scale_is_missed():
    runs = {5_000: run({"flat": 0.5, "grows": 0.5}), 500_000: run({"flat": 0.45, "grows": 0.3})}
    rows = {row["scenario"]: row for row in curve(runs)["rows"]}
    assert rows["flat"]["met"] is True and round(rows["flat"]["kept"], 2) == 0.9
    assert rows["grows"]["met"] is False
    assert "baseline_values" not in rows  # the yardstick is not a scenario
    text = markdown(curve(runs), runs)
    assert "| grows | 0.50 | 0.30 | 5 | 0.60 | **MISSED** |" in text


def test_a_scenario_missing_at_one_scale_is_not_measured():
    runs = {5_000: run({"only_small": 0.5}), 50_000: run({})}
    (row,) = curve(runs)["rows"]
    assert row["met"] is None and row["ratio_c"][50_000] is None
