"""Pages of 50 by default, `page_size` up to 200 (clamped), cursors for syncing, ordering on an allow-list."""

from countries.models import Region
from stakeholders.models import Stakeholder


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


def test_the_total_is_kept_per_scope_until_a_write_to_the_table(staff_api, partner_api, world):
    url = "/api/v1/stakeholders/?sector=civil_society"
    rows = Stakeholder.objects.filter(sector="civil_society")

    def totals() -> tuple[int, int]:
        return staff_api.get(url).json()["count"], partner_api.get(url).json()["count"]

    expected = (rows.count(), rows.visible_to(world.partner_co).count())
    assert expected[0] > expected[1]  # the staff's kept total is never the partner's
    assert totals() == expected
    assert totals() == expected  # kept
    added = Stakeholder.objects.create(country=world.co, name="Red Nueva", sector="civil_society", level="local")
    assert totals() == (expected[0] + 1, expected[1])
    Stakeholder.objects.filter(pk=added.pk).update(sector="community")  # a bulk write drops it too
    assert totals() == expected


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
