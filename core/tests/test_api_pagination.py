"""Pages of 50 by default, `page_size` up to 200 (clamped), cursors for syncing, ordering on an allow-list."""

from countries.models import Region


def test_default_page_is_50_and_page_size_is_clamped_to_200(staff_api, world):
    Region.objects.bulk_create(
        Region(country=world.co, parent=world.guajira, name=f"Municipio {n}", kind="municipality") for n in range(60)
    )
    assert Region.objects.count() > 200  # with the ISO subdivisions of three countries
    assert len(staff_api.get("/api/v1/regions/").json()["results"]) == 50
    assert len(staff_api.get("/api/v1/regions/?page_size=120").json()["results"]) == 120
    body = staff_api.get("/api/v1/regions/?page_size=5000").json()
    assert len(body["results"]) == 200
    assert body["count"] == Region.objects.count()


def test_cursor_mode_walks_every_row_once_without_a_count(staff_api, world):
    url, seen = "/api/v1/regions/?mode=cursor&page_size=100", []
    while url:
        body = staff_api.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(Region.objects.values_list("pk", flat=True))


def test_cursor_mode_combines_with_filters(staff_api, world):
    body = staff_api.get(f"/api/v1/regions/?mode=cursor&country={world.pe.pk}").json()
    assert {row["country"] for row in body["results"]} == {world.pe.pk}


def test_ordering_follows_the_allow_list(staff_api, world):
    names = [row["name"] for row in staff_api.get("/api/v1/stakeholders/?ordering=-name").json()["results"]]
    assert names == sorted(names, reverse=True)
    # A field outside the allow-list is refused (not used to probe hidden data, nor silently ignored).
    refused = staff_api.get("/api/v1/stakeholders/?ordering=description,-name")
    assert refused.status_code == 400
    assert "'description'" in refused.json()["errors"]["ordering"][0]
    several = staff_api.get("/api/v1/stakeholders/?ordering=-name,id").json()["results"]
    assert [row["name"] for row in several] == names


def test_filters_from_the_shared_filtersets_apply(staff_api, world):
    rows = staff_api.get(f"/api/v1/engagements/?coalition={world.pe_coalition.pk}").json()["results"]
    assert [row["id"] for row in rows] == [world.pe_engagement.pk]
    rows = staff_api.get("/api/v1/stakeholders/?q=wayuu").json()["results"]
    assert [row["id"] for row in rows] == [world.co_org.pk]
    rows = staff_api.get("/api/v1/coalitions/?updated_since=2999-01-01T00:00:00Z").json()["results"]
    assert rows == []


def _region_count_queries(queries) -> int:
    return sum("COUNT(" in query["sql"] and "countries_region" in query["sql"] for query in queries)


def test_a_short_last_page_gives_the_exact_count_without_counting(staff_api, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    total = Region.objects.count()
    size = total - 3 if total > 3 else total + 1  # the rows fill one page and part of a second
    with CaptureQueriesContext(connection) as first:
        full = staff_api.get(f"/api/v1/regions/?page_size={size}").json()
    with CaptureQueriesContext(connection) as second:
        short = staff_api.get(f"/api/v1/regions/?page_size={size}&page=2").json()
    with CaptureQueriesContext(connection) as whole:
        one_page = staff_api.get(f"/api/v1/regions/?page_size={total + 1}").json()

    assert full["count"] == short["count"] == one_page["count"] == total
    assert len(full["results"]) == size and full["next"] and full["previous"] is None
    assert len(short["results"]) == total - size and short["next"] is None and short["previous"]
    assert len(one_page["results"]) == total and one_page["next"] is None
    assert _region_count_queries(first.captured_queries) == 1  # a full page: more rows may follow
    assert _region_count_queries(second.captured_queries) == 0
    assert _region_count_queries(whole.captured_queries) == 0


def test_an_empty_list_is_counted_as_empty_and_a_page_past_the_end_is_refused(staff_api, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        empty = staff_api.get("/api/v1/regions/?code=XX-NONE")
    assert empty.status_code == 200
    assert empty.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert _region_count_queries(queries.captured_queries) == 0
    past = staff_api.get("/api/v1/regions/?page=999")
    assert past.status_code == 400
    assert "page" in past.json()["errors"]
