"""Table downloads (CSV with a BOM, `;` CSV, XLSX): one writer and one guard against spreadsheet
formulas for every export."""

import csv
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

#: The first characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_text(value) -> str:
    """A cell's text; a Decimal in fixed-point without its column's trailing zeros ("987.65", "0"),
    where `str()` gives "987.650000000000" or "0E+8", which spreadsheets and the import misread."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f")
    return str(value)


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell starting with = + - @ is read as text.
    The import takes the apostrophe off again (`core.importers.read_table`), so an export imports back."""
    text = plain_text(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def csv_uncell(text: str) -> str:
    """A cell as `csv_cell` wrote it, without the apostrophe the formula guard added."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS and text[1:2] else text


#: The content types of the table downloads.
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, file_format: str = "csv", separator: str = ","
) -> HttpResponse:
    """A table download that opens correctly in a spreadsheet and imports back: CSV in UTF-8 with a
    byte-order mark (Excel reads the accents), `separator` ";" for Excel with Spanish settings, or
    XLSX. Every text cell goes through `csv_cell`."""
    if file_format == "xlsx":
        import io

        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append([csv_cell(cell) for cell in header])
        for row in rows:
            sheet.append(
                [
                    cell if isinstance(cell, int | float) and not isinstance(cell, bool) else csv_cell(cell)
                    for cell in row
                ]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=separator)
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response


def table_download(request: HttpRequest, filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """`table_response` in the format the request asks for: `?format=xlsx` for a workbook, `?sep=;`
    (or `?separator=;`) for CSV as Excel with Spanish settings reads it, else CSV with commas."""
    return table_response(filename, header, rows, **download_options(request))


def download_options(request: HttpRequest) -> dict:
    """The `file_format` and `separator` a download's query string asks for."""
    wanted = request.GET.get("sep") or request.GET.get("separator")
    return {
        "file_format": "xlsx" if request.GET.get("format") == "xlsx" else "csv",
        "separator": ";" if wanted == ";" else ",",
    }


# A list page's table of rows: one declaration per table, written the same way for every app.


@dataclass(frozen=True)
class Table:
    """A download of a model's rows: the fields it writes (a relation as the related row's name, a
    choice as its label in the active language, a date in ISO form, headed by the fields' verbose
    names), for the user's rows (`visible_to`) with the filters of `filterset` (the list page's)."""

    model: type
    filterset: type
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()
    #: Annotations written after the fields: (name, header, expression).
    extra: tuple = ()


def table_rows(table: Table, request) -> tuple[list[str], object]:
    """The header and the rows of one table for the request's user and filters (ValidationError
    when a filter's value is not valid)."""
    model = table.model
    queryset = model.objects.visible_to(request.user).select_related(*table.related).order_by("pk")
    if table.extra:
        queryset = queryset.annotate(**{name: expression for name, _header, expression in table.extra})
    filterset = table.filterset(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():  # a filter's bad value is an error, not a download of every row
        raise ValidationError(
            [f"{name}: {message}" for name, messages in filterset.errors.items() for message in messages]
        )
    queryset = filterset.qs
    fields = [model._meta.get_field(name) for name in table.fields]
    header = [
        _("Id"),
        *(str(field.verbose_name).capitalize() for field in fields),
        *(str(header) for _name, header, _expression in table.extra),
    ]
    yes, no = _("Yes"), _("No")

    def cell(row, field):
        if field.choices:
            return getattr(row, f"get_{field.name}_display")()
        value = getattr(row, field.name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, datetime.date):
            return value.isoformat()
        if field.is_relation:
            return str(value)
        return value

    rows = (
        [row.pk, *(cell(row, field) for field in fields), *(getattr(row, name) for name, *_rest in table.extra)]
        for row in queryset
    )
    return header, rows


def table_export(request: HttpRequest, table: Table, filename: str) -> HttpResponse:
    """A list page's download: the table's rows for the request's user and filters, in the format the
    request asks for (`download_options`), stamped with today's date; a bad filter value is a 400."""
    from django.http import HttpResponseBadRequest
    from django.utils import timezone

    try:
        header, rows = table_rows(table, request)
    except ValidationError as error:
        return HttpResponseBadRequest("\n".join(error.messages), content_type="text/plain; charset=utf-8")
    return table_download(request, f"{filename}-{timezone.localdate().isoformat()}", header, rows)
