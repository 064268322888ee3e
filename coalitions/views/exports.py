from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from core.access import staff_required
from core.exports import table_response

from ..exports import TABLES, table_rows


@staff_required
def table_export(request: HttpRequest, table: str) -> HttpResponse:
    """Coalitions, memberships, engagements, commitments or outcomes the user sees, with the table's
    filters (`?coalition=`, `?q=`, ...), as CSV in UTF-8 with a BOM (`?sep=;` for Excel with Spanish
    settings) or `?format=xlsx`."""
    if table not in TABLES:
        raise Http404
    try:
        header, rows = table_rows(TABLES[table], request)
    except ValidationError as error:
        return HttpResponseBadRequest("\n".join(error.messages), content_type="text/plain; charset=utf-8")
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    separator = ";" if request.GET.get("sep") == ";" else ","
    stamp = timezone.localdate().isoformat()
    return table_response(f"{table}-{stamp}", header, rows, file_format=file_format, separator=separator)
