from django.http import Http404, HttpRequest, HttpResponse

from core.access import staff_required
from core.exports import table_export as table_download

from ..exports import TABLES


@staff_required
def table_export(request: HttpRequest, table: str) -> HttpResponse:
    """Initiatives, coalitions, memberships, engagements, commitments or outcomes the user sees, with the
    table's filters (`?coalition=`, `?q=`, ...), as CSV in UTF-8 with a BOM (`?sep=;` for Excel with
    Spanish settings) or `?format=xlsx`."""
    if table not in TABLES:
        raise Http404
    return table_download(request, TABLES[table], table)
