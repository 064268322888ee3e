import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from bench.settings import MIDDLEWARE as BENCH_MIDDLEWARE


def test_the_baselines_exist_only_under_the_bench_settings():
    with pytest.raises(NoReverseMatch):
        reverse("bench_minimal")


@pytest.mark.urls("bench.urls")
def test_minimal_baseline_answers_json(client):
    assert client.get("/bench/baseline/minimal/").json() == {"ok": True}


@pytest.mark.urls("bench.urls")
def test_values_baseline_answers_the_api_list_rows_in_name_order_with_their_regions(world, client):
    response = client.get("/bench/baseline/values/", {"country": world.co.pk, "sector": "civil_society"})

    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["Fundación Energía Wayuu"]
    assert rows[0]["country__code"] == "CO" and rows[0]["regions"] == []


@pytest.mark.urls("bench.urls")
@override_settings(MIDDLEWARE=BENCH_MIDDLEWARE)
def test_the_query_counter_answers_only_when_asked(world, client):
    counted = client.get("/bench/baseline/values/", headers={"X-Bench-Count": "1"})
    plain = client.get("/bench/baseline/values/")

    assert counted["X-Bench-Queries"] == "2"  # the page, then the region ids
    assert float(counted["X-Bench-DB-ms"]) >= 0
    assert "X-Bench-Queries" not in plain
