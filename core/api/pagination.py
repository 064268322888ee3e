"""Pages of 50 by default (`page_size` up to 200, larger asks clamped), or cursors for syncing clients.

Page-number mode answers `count`, `next`, `previous`, `results`. Cursor mode starts with
`?mode=cursor` and continues by following `next` (which carries `cursor=`); it answers
`next`, `previous`, `results` and no count, and stays stable while rows are added, so a client
syncing with `updated_since` never skips or repeats a row.
"""

import binascii
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.parsing import parse_id
from core.short_tables import kept_count

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class _StrictPageSize:
    """`page_size` in ASCII digits (DRF's `int()` also reads other scripts' digits and "1_000");
    anything else is the default size, as DRF answers any other unreadable size."""

    def get_page_size(self, request) -> int:
        size = parse_id(request.query_params.get(self.page_size_query_param))
        return min(size, self.max_page_size) if size else self.page_size


class KeptCountPaginator(Paginator):
    """Django's Paginator with the total of a QuerySet kept under the versions of the tables it reads
    (`core.short_tables.kept_count`), as the staff directory keeps its own: the total reads every
    matching row, so its cost grows with the table while the page's does not, and every write to
    one of those tables drops it. A list of rows is counted as Django counts it.

    Rows that are not the queryset to count (a hot list's `.values()` rows, whose joins Django would
    keep in the COUNT) name the one to count as `counted_rows` (`ScopedReads.list`).
    """

    @cached_property
    def count(self) -> int:
        counted = getattr(self.object_list, "counted_rows", self.object_list)
        if isinstance(counted, QuerySet):
            return kept_count(counted)
        return super().count


class ClampedPageNumberPagination(_StrictPageSize, pagination.PageNumberPagination):
    django_paginator_class = KeptCountPaginator
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param) or "1"
        if number in self.last_page_strings:
            return paginator.num_pages
        if parse_id(number) is None:
            raise ValidationError({"page": [_("A page is a number written in digits 0-9.")]})
        return number

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:  # a page past the end or not a number is bad input, not a missing row
            raise ValidationError({"page": [str(error.detail)]}) from None


class SyncCursorPagination(_StrictPageSize, pagination.CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "pk"

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        # Cursors walk one fixed, unique order; `ordering` is ignored in cursor mode.
        return (self.ordering,)

    def _get_position_from_instance(self, instance, ordering) -> str:
        if isinstance(instance, dict) and ordering[0].lstrip("-") == "pk":
            return str(instance["id"])  # a page of `.values()` rows (see ScopedModelViewSet.list)
        return super()._get_position_from_instance(instance, ordering)

    def decode_cursor(self, request):
        """A cursor this server wrote: its position is a row id (the order is `pk`), its offset small."""
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            # DRF's decoding skips characters outside base64's alphabet ("!!!" reads as no cursor).
            binascii.a2b_base64(encoded.encode("ascii"), strict_mode=True) if encoded else None
            cursor = super().decode_cursor(request)
        except (NotFound, ValueError, binascii.Error):
            cursor = None
        if cursor is not None and cursor.position is not None and parse_id(cursor.position) is None:
            cursor = None
        if cursor is None and request.query_params.get(self.cursor_query_param):
            raise ValidationError({"cursor": [_("Invalid cursor.")]})
        return cursor


class ApiPagination(pagination.BasePagination):
    """Page numbers by default; cursors when the request asks for them (`mode=cursor` or `cursor=`)."""

    def __init__(self) -> None:
        self.pages = ClampedPageNumberPagination()
        self.cursors = SyncCursorPagination()
        self.active: pagination.BasePagination = self.pages

    @staticmethod
    def wants_cursor(request) -> bool:
        return request.query_params.get("mode") == "cursor" or "cursor" in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.cursors if self.wants_cursor(request) else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data) -> Response:
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        page = self.pages.get_paginated_response_schema(schema)
        page["required"] = ["results"]  # `count` is absent in cursor mode
        page["properties"]["count"]["description"] = "Total rows (page-number mode only)."
        return page

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            *self.pages.get_schema_operation_parameters(view),
            {
                "name": "mode",
                "required": False,
                "in": "query",
                "description": "`cursor` to page with cursors (for syncing clients) instead of page numbers.",
                "schema": {"type": "string", "enum": ["page", "cursor"]},
            },
            self.cursors.get_schema_operation_parameters(view)[0],
            {
                "name": "separator",
                "required": False,
                "in": "query",
                "description": (
                    "With `format=csv`: `;` to separate the cells with semicolons (Excel with Spanish settings); "
                    "commas otherwise. `format=csv` or `format=xlsx` answers every row of the filters as one "
                    "table (no pages), in the JSON's columns (a nested object as `name.field`)."
                ),
                "schema": {"type": "string", "enum": [",", ";"]},
            },
        ]
