"""`make bench` end to end at a tiny scale, so the harness cannot rot between real runs."""

import json
import os
import shutil

import pytest
from django.db import connection

from bench.run import DEFAULT_CACHE_URL, SEARCH_TERM_CLASSES, Fixtures, bench, parser, scenarios_for, write_results
from core.management.commands.seed_scale import seed_scale
from core.testing import require_service
from countries.iso import load_iso_regions
from countries.models import Country, Region
from outbox.testing import redis_available
from stakeholders.models import Stakeholder


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_harness_measures_every_scenario_at_a_tiny_scale(tmp_path):
    require_service("PostgreSQL", connection.vendor == "postgresql", "the bench runs on PostgreSQL")
    require_service("wrk", bool(shutil.which("wrk")), "apt-get install -y wrk")
    require_service("Redis", redis_available(DEFAULT_CACHE_URL), "the served site's cache")
    load_iso_regions(Country, Region)  # an earlier transactional test may have flushed them
    seed_scale(stakeholders=300)
    options = (
        "--stakeholders 300 --rounds 1 --duration 1 --warmup 0 --import-rows 40 --workers 1 --connections 2 "
        "--threads 1 --campaign 0 --memory-sizes 1 3 --probes 1"
    )
    # Every scenario is probed (it answers, and its queries are counted); a few kinds are load-tested:
    # a token, a staff session, a partner session.
    load = ["--load", "api_stakeholders_count", "page_dashboard", "page_portal"]
    # Next to the port `make bench` uses (BENCH_PORT), so two sessions' smoke tests do not collide.
    port = int(os.environ.get("BENCH_PORT", "8600")) + 1
    args = parser().parse_args([*options.split(" "), "--port", str(port), *load])

    results = bench(args, database_url(), log=lambda message: None, seeded_seconds=1.5)
    json_path, md_path = write_results(results, tmp_path)

    scenarios = json.loads(json_path.read_text())["scenarios"]
    assert scenarios["baseline_minimal"]["rps"] > 0
    assert scenarios["baseline_values"]["rps"] > 0
    for name, row in scenarios.items():
        # Measured, or reported as not available (an endpoint not built yet) - never an error.
        assert row["available"] or row["why_not"].startswith("not available"), (name, row["why_not"])
        if row["available"] and (name.startswith("baseline") or name in load):
            assert row["requests"] > 0 and row["errors"] == 0, (name, row)
            assert row["ratio_a"] > 0 and row["ratio_c"] > 0
    assert results["write_paths"]["import"]["created"] == 40
    # Every scenario of the harness's list is in the results, measured or not available.
    expected = {s.name for s in scenarios_for(Fixtures.placeholder())}
    assert expected <= set(scenarios)
    for name in expected:
        if name.startswith("page_") and scenarios[name]["available"]:
            assert scenarios[name]["queries"] > 0, name
    report = results["write_paths"]["report"]
    assert report["seconds"] > 0 and report["xlsx_bytes"] > 0
    assert results["write_paths"]["snapshots"]["snapshots"] > 0
    assert results["write_paths"]["seed"] == {"stakeholders": 300, "seconds": 1.5}
    targets = {check["target"] for check in results["targets"]}
    assert any(t.startswith("one-year country report") for t in targets)
    assert any(t.startswith("take_snapshots") for t in targets)
    assert any(t.startswith("page_portal ≥ 0.25") for t in targets)
    assert any(t.startswith("api_initiative_map ≥ 0.40") for t in targets)
    assert Stakeholder.objects.count() == 300  # the imported rows are removed again
    assert results["search_db"]["page"]["uses_trigram_index"] or results["search_db"]["matches"] >= 0
    assert set(results["search_db"]["classes"]) == set(SEARCH_TERM_CLASSES)  # each kind of term, each checked
    assert sum(check["target"].startswith("search, ") for check in results["targets"]) == len(SEARCH_TERM_CLASSES)
    streaming = results["streaming_memory"]
    assert [row["size_mb"] for row in streaming["rows"]] == [1, 3]
    assert all(row["rss_before_mb"] > 0 for row in streaming["rows"])
    assert "upload_growth_difference_mb" in streaming and "download_growth_difference_mb" in streaming
    table = md_path.read_text()
    assert "| (a) minimal Django JSON view |" in table
    assert "| Target | Measured | Met |" in table
    assert "| File (API upload, then download) |" in table
