"""Every API list as a table: `?format=csv` (UTF-8 with a BOM; `separator=;` for Excel with Spanish
settings) or `?format=xlsx`, written by `core.exports.table_response` like the pages' downloads.

The table holds every row the list's filters and scope select (not one page), in the list's own order,
with the JSON list's columns: a nested object becomes one column per field (`country.code`), a list
one cell of its items separated by `; `. The rows are read in chunks of `CHUNK` through the same code
that builds a JSON page (the serializer, or a hot list's `.values()` plan), so the number of queries
grows with the chunks, never with the rows, and a row shows in the table exactly as in the JSON.
"""

import json

from rest_framework import renderers, serializers

from core.exports import table_response

#: Rows built per round of queries.
CHUNK = 500
TABLE_FORMATS = ("csv", "xlsx")


class _TableRenderer(renderers.BaseRenderer):
    """Declares a table format for content negotiation and the schema; the list writes the table
    itself (`ScopedReads.list`). Anything else answered in this format (an error) is JSON."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


class CSVRenderer(_TableRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_TableRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


def columns_of(serializer: serializers.BaseSerializer, prefix: str = "") -> list[str]:
    """The flattened column names of a serializer's output: a nested serializer's fields as `name.field`."""
    names = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            names += columns_of(field, f"{prefix}{name}.")
        else:
            names.append(f"{prefix}{name}")
    return names


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(
            json.dumps(item, ensure_ascii=False) if isinstance(item, dict | list) else str(_cell(item))
            for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def row_cells(row: dict, columns: list[str]) -> list:
    """The cells of one JSON row in the flattened `columns` (a null nested object leaves its columns empty)."""
    cells = []
    for column in columns:
        value = row
        for part in column.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        cells.append(_cell(value))
    return cells


def list_table(view, queryset, build_page) -> object:
    """The download of every row of `queryset` (filtered, scoped and ordered as the list is), each
    chunk of rows turned into JSON rows by `build_page`, in the format the request negotiated."""
    request = view.request
    columns = columns_of(view.get_serializer())
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    if "pk" not in ordering and "id" not in ordering:  # a stable order, so no chunk repeats or skips a row
        queryset = queryset.order_by(*ordering, "pk")

    def rows():
        start = 0
        while True:
            page = build_page(queryset[start : start + CHUNK])
            yield from (row_cells(row, columns) for row in page)
            if len(page) < CHUNK:
                return
            start += CHUNK

    file_format = request.accepted_renderer.format
    separator = ";" if request.query_params.get("separator", request.query_params.get("sep")) == ";" else ","
    name = queryset.model._meta.model_name
    return table_response(name, columns, rows(), file_format=file_format, separator=separator)
