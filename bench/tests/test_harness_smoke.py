"""`make bench` end to end at a tiny scale, so the harness cannot rot between real runs."""

import json
import shutil

import pytest
from django.db import connection

from bench.run import SEARCH_TERM_CLASSES, bench, parser, write_results
from core.management.commands.seed_scale import seed_scale
from core.testing import require_service
from countries.iso import load_iso_regions
from countries.models import Country, Region
from stakeholders.models import Stakeholder


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_harness_measures_every_scenario_at_a_tiny_scale(tmp_path):
    require_service("PostgreSQL", connection.vendor == "postgresql", "the bench runs on PostgreSQL")
    require_service("wrk", bool(shutil.which("wrk")), "apt-get install -y wrk")
    load_iso_regions(Country, Region)  # an earlier transactional test may have flushed them
    seed_scale(stakeholders=300)
    options = (
        "--stakeholders 300 --rounds 1 --duration 1 --warmup 0 --import-rows 40 --workers 1 --port 8601 "
        "--campaign 0 --memory-sizes 1 3"
    )
    args = parser().parse_args(options.split(" "))

    results = bench(args, database_url(), log=lambda message: None)
    json_path, md_path = write_results(results, tmp_path)

    scenarios = json.loads(json_path.read_text())["scenarios"]
    assert scenarios["baseline_minimal"]["rps"] > 0
    assert scenarios["baseline_values"]["rps"] > 0
    for name, row in scenarios.items():
        # Measured, or reported as not available (an endpoint not built yet) - never an error.
        assert row["available"] or row["why_not"].startswith("not available"), (name, row["why_not"])
        if row["available"] and name != "api_stakeholders_page10":
            assert row["requests"] > 0 and row["errors"] == 0, (name, row)
            assert row["ratio_a"] > 0 and row["ratio_c"] > 0
    assert results["write_paths"]["import"]["created"] == 40
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
