"""`make bench-scale`: the benchmark at 5,000, 50,000 and 500,000 stakeholders, and the curve.

Each scale is a full `python -m bench.run --stakeholders N` in its own process, on its own database
(the name of BENCH_DATABASE_URL with `_5k`, `_50k`, `_500k`; seeded once, then reused), writing its
results under `bench/results/scale/N/`. Then one table: each scenario's ratio to (c) at each scale,
and the check of issue 18, that no scenario's ratio at the largest scale falls below 0.8 x its ratio
at the smallest (the cost of a request does not grow with the data). Written to
`bench/results/scale.md` and `scale.json`.

Usage: python -m bench.scale [--scales 5000 50000 500000] [any option of bench.run...]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

from bench.run import DEFAULT_DATABASE_URL, RESULTS, ROOT, SCALE_FLATNESS

SCALES = (5_000, 50_000, 500_000)


def label(stakeholders: int) -> str:
    """5000 -> "5k", 500000 -> "500k", 1500 -> "1500"."""
    return f"{stakeholders // 1000}k" if stakeholders % 1000 == 0 else str(stakeholders)


def database_for(url: str, stakeholders: int) -> str:
    """The database of one scale: the name of `url` with the scale's label appended."""
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"{parts.path.rstrip('/')}_{label(stakeholders)}"))


def curve(results: dict[int, dict]) -> dict:
    """Each scenario's ratio to (c) at each scale, and whether the largest keeps 0.8 x the smallest."""
    scales = sorted(results)
    names = []
    for stakeholders in scales:
        for name in results[stakeholders]["scenarios"]:
            if name not in names and not name.startswith("baseline"):
                names.append(name)
    rows = []
    for name in names:
        ratios = {n: results[n]["scenarios"].get(name, {}).get("ratio_c") for n in scales}
        cpu = {n: results[n]["scenarios"].get(name, {}).get("cpu_ms_per_request") for n in scales}
        queries = {n: results[n]["scenarios"].get(name, {}).get("queries") for n in scales}
        first, last = ratios[scales[0]], ratios[scales[-1]]
        kept = None if first is None or last is None or len(scales) < 2 else last / first
        rows.append(
            {
                "scenario": name,
                "title": next(
                    (results[n]["scenarios"][name]["title"] for n in scales if name in results[n]["scenarios"]), name
                ),
                "ratio_c": ratios,
                "cpu_ms_per_request": cpu,
                "queries": queries,
                "kept": kept,
                "met": None if kept is None else kept >= SCALE_FLATNESS,
            }
        )
    return {"scales": scales, "rows": rows}


def markdown(table: dict, runs: dict[int, dict]) -> str:
    scales = table["scales"]
    head = " | ".join(f"x (c) at {n:,}" for n in scales)
    lines = [
        "Scale curve (`make bench-scale`): each scenario's same-run ratio to (c) at each scale, and the "
        f"ratio at {scales[-1]:,} against the ratio at {scales[0]:,} (target ≥ {SCALE_FLATNESS} x).",
        "",
    ]
    for n in scales:
        run = runs[n]
        machine = run.get("machine", {})
        lines.append(
            f"- {n:,} stakeholders: run {run.get('finished_at', '')}, load average at start "
            f"{', '.join(f'{x:.1f}' for x in machine.get('load_average_at_start', []))}, "
            f"{run.get('load', {}).get('rounds')} rounds x {run.get('load', {}).get('duration_s')} s"
        )
    lines += [
        "",
        f"| Scenario | {head} | queries | largest / smallest | Met |",
        "|---|" + "---:|" * (len(scales) + 2) + "---|",
    ]
    for row in table["rows"]:
        ratios = " | ".join("" if row["ratio_c"][n] is None else f"{row['ratio_c'][n]:.2f}" for n in scales)
        queries = sorted({q for q in row["queries"].values() if q is not None})
        kept = "" if row["kept"] is None else f"{row['kept']:.2f}"
        met = {True: "yes", False: "**MISSED**", None: "not measured"}[row["met"]]
        lines.append(f"| {row['title']} | {ratios} | {'/'.join(map(str, queries))} | {kept} | {met} |")
    lines += ["", "| Bulk work | " + " | ".join(f"{n:,}" for n in scales) + " |", "|---|" + "---:|" * len(scales)]
    for key, title in (
        ("seed", "seed_scale (s; empty: reused)"),
        ("import", "import (s)"),
        ("report", "one-year country report (s)"),
        ("snapshots", "take_snapshots (s)"),
        ("campaign", "campaign (s)"),
    ):
        cells = []
        for n in scales:
            value = (runs[n].get("write_paths", {}).get(key) or {}).get("seconds")
            cells.append("" if value is None else f"{value:.1f}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    args, passthrough = p.parse_known_args(argv)
    base_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    runs: dict[int, dict] = {}
    for stakeholders in sorted(args.scales):
        directory = RESULTS / "scale" / str(stakeholders)
        env = {**os.environ, "BENCH_DATABASE_URL": database_for(base_url, stakeholders)}
        command = [sys.executable, "-m", "bench.run", "--stakeholders", str(stakeholders), "--results", str(directory)]
        print(f"== {stakeholders:,} stakeholders on {urlparse(env['BENCH_DATABASE_URL']).path.lstrip('/')}", flush=True)
        started = time.monotonic()
        subprocess.run([*command, *passthrough], check=True, cwd=ROOT, env=env)  # noqa: S603
        print(f"== {stakeholders:,} done in {time.monotonic() - started:.0f} s", flush=True)
        runs[stakeholders] = json.loads((directory / "latest.json").read_text())
    table = curve(runs)
    (RESULTS / "scale.json").write_text(json.dumps(table, indent=2) + "\n")
    text = markdown(table, runs)
    (RESULTS / "scale.md").write_text(text)
    print(text)
    return 0  # like `make bench`: a missed target is reported, not an error


if __name__ == "__main__":
    sys.exit(main())
