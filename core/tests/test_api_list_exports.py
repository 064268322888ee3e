"""Every API list answers `?format=csv` and `?format=xlsx` with all its rows (filters and scope
applied), the JSON list's columns, and a query count that does not grow with the rows."""

import codecs
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coalitions.models import Initiative
from core.api import renderers
from core.api.permissions import STAFF_ONLY
from stakeholders.models import Stakeholder

from .api_resources import make_rows, routes
from .test_api_query_counts import token_client

LISTS = [(prefix, basename) for prefix, basename, action in routes() if action == "list"]
CASES = [
    (prefix, basename, persona)
    for prefix, basename in LISTS
    for persona in ("staff_co", "partner_co")
    if not (persona == "partner_co" and basename in STAFF_ONLY)
]


def csv_table(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(codecs.BOM_UTF8)
    text = body.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def json_rows(client, url: str) -> list[dict]:
    """Every row of the list, page after page (a reference list such as the municipalities is long)."""
    rows, page = [], client.get(url, {"page_size": 1000})
    while True:
        assert page.status_code == 200, page.content
        rows += page.json()["results"]
        if not page.json().get("next"):
            return rows
        page = client.get(page.json()["next"])


@pytest.mark.parametrize(("prefix", "basename", "persona"), CASES)
def test_list_exports_every_row_it_lists_as_csv_and_xlsx(world, prefix, basename, persona):
    make_rows(world, basename, 3)
    if basename == "initiative":
        Initiative.objects.update(is_public=True)
    client = token_client(getattr(world, persona))
    url = f"/api/v1/{prefix}/"
    listed = json_rows(client, url)

    header, *rows = csv_table(client.get(url, {"format": "csv"}))
    assert len(rows) == len(listed)
    if "id" in header:  # a partner's export holds only what its list shows
        at = header.index("id")
        assert sorted(int(row[at]) for row in rows) == sorted(row["id"] for row in listed)

    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200, response.content
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    found = list(sheet.iter_rows(values_only=True))
    assert list(found[0]) == header
    assert len(found) == len(listed) + 1


@pytest.mark.parametrize(("prefix", "basename"), LISTS)
def test_list_export_query_count_does_not_grow_with_rows(world, prefix, basename):
    client = token_client(world.staff_co)
    url = f"/api/v1/{prefix}/?format=csv"
    make_rows(world, basename, 1)
    with CaptureQueriesContext(connection) as few:
        csv_table(client.get(url))
    make_rows(world, basename, 3)
    with CaptureQueriesContext(connection) as more:
        csv_table(client.get(url))
    assert len(more) == len(few)


def test_list_export_holds_every_page_and_the_filters(world, monkeypatch):
    monkeypatch.setattr(renderers, "CHUNK", 2)  # several rounds of queries
    for number in range(5):
        Stakeholder.objects.create(country=world.co, name=f"Asociación {number}", sector="community", level="local")
    client = token_client(world.staff_co)
    listed = json_rows(client, "/api/v1/stakeholders/")
    header, *rows = csv_table(client.get("/api/v1/stakeholders/", {"format": "csv", "page_size": 1}))
    assert len(rows) == len(listed) > 5
    assert len({row[header.index("id")] for row in rows}) == len(rows)

    header, *rows = csv_table(
        client.get("/api/v1/stakeholders/", {"format": "csv", "q": "asociacion", "separator": ";"})
    )
    names = [row[header.index("name")] for row in rows]
    assert {f"Asociación {number}" for number in range(5)} <= set(names)
    assert all(name.startswith("Asociación") for name in names)
    assert "country.code" in header or "country" in header


def test_list_export_bad_filter_is_a_json_400(world):
    client = token_client(world.staff_co)
    response = client.get("/api/v1/stakeholders/", {"format": "csv", "ordering": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 400


def test_row_formats_are_for_lists_only(world):
    stakeholder = Stakeholder.objects.create(country=world.co, name="Fundación Sol", sector="community", level="local")
    response = token_client(world.staff_co).get(f"/api/v1/stakeholders/{stakeholder.pk}/", {"format": "csv"})
    assert response.status_code == 404


def test_schema_offers_the_table_formats_on_every_list(client, world):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    lists = [
        operation
        for path, item in schema["paths"].items()
        if "{" not in path
        for method, operation in item.items()
        if method == "get"
    ]
    assert lists
    for operation in lists:
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert set(parameters["format"]["schema"]["enum"]) == {"json", "csv", "xlsx"}, operation["operationId"]
        assert "separator" in parameters
        content = operation["responses"]["200"]["content"]
        assert content["text/csv"]["schema"] == {"type": "string", "format": "binary"}, operation["operationId"]
