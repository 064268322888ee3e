"""The base of every API viewset: scoped rows, the write rules, each write in one transaction.

Writes are recorded in the history by core/history (the request's token and user), like any other.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets

from core.access import is_staff_member, partner_field_errors
from core.parsing import ID_PATTERN
from core.services import row_delete, row_write
from core.signals import api_write

from .permissions import ApiPermission, resource_of
from .renderers import TABLE_FORMATS, CSVRenderer, XLSXRenderer, list_table
from .rows import row_plan
from .schema import ApiAutoSchema


class ListTables:
    """A list that also answers as a table: `?format=csv` (`separator=;`) or `?format=xlsx`, every row
    of its filters and scope, in its JSON columns (core.api.renderers)."""

    def get_renderers(self):
        found = super().get_renderers()
        if getattr(self, "action", None) == "list":
            found += [CSVRenderer(), XLSXRenderer()]
        return found

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format in TABLE_FORMATS:
            return self.list_table(request)
        return super().list(request, *args, **kwargs)

    def perform_content_negotiation(self, request, force=False):
        separator = request.query_params.get("separator")
        if not force and getattr(self, "action", None) == "list" and separator not in (None, ",", ";"):
            raise exceptions.ValidationError({"separator": [_("Use , or ;.")]})
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # An unknown `?format=` on a list is bad input, in the error format like any other filter.
            if getattr(self, "action", None) != "list":
                raise
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise exceptions.ValidationError(
                {"format": [_("Use one of %(formats)s.") % {"formats": formats}]}
            ) from None

    def list_table(self, request):
        """Every row of the list (its filters, scope and order; no page) as CSV or XLSX, built chunk by
        chunk by the same serializer as a JSON page."""
        queryset = self.filter_queryset(self.get_queryset())
        return list_table(self, queryset, lambda chunk: self.get_serializer(list(chunk), many=True).data)


class ScopedReads(ListTables):
    """Rows through `visible_to(request.user)`: what every viewset reads, read-only or not.

    Subclasses set `queryset` (with select_related/prefetch_related), `serializer_class`,
    `filterset_class` and `ordering_fields` (the allow-list for `?ordering=`).

    `scoped_relations` names relations that may point at rows the user cannot see (a
    non-member participant, a coalition's parent); they are prefetched through the related
    model's `visible_to(user)`, so such a row appears as null and its id never leaks.
    """

    scoped_relations: tuple[str, ...] = ()
    #: A hot list: its pages are built from `.values()` rows (core.api.rows), not by the serializer.
    rows_from_values: bool = False

    #: For the API docs: which rows a partner sees here, in an integrator's words ("the commitments
    #: of their coalitions"); a staff-only resource leaves it empty. The docs are written from this,
    #: the model's docstring and the rules (core.api.schema), never from docstrings of the code.
    partner_reads: str = ""
    #: For the API docs, where the rules make creating narrower than changing ("admins only").
    who_creates: str = ""

    # An id in the path is ASCII digits (core.parsing); anything else is the API's JSON 404.
    lookup_value_regex = ID_PATTERN
    permission_classes = [ApiPermission]
    schema = ApiAutoSchema()
    ordering_fields: list[str] = ["id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        queryset = super().get_queryset().visible_to(user)
        model = queryset.model
        if is_staff_member(user):
            # They see every row, so join the foreign keys (one query whatever the data) and
            # prefetch the many-to-many ones without a filter.
            fields = [model._meta.get_field(name) for name in self.scoped_relations]
            joined = [field.name for field in fields if field.many_to_one]
            if joined:  # select_related() without names would replace the viewset's own joins
                queryset = queryset.select_related(*joined)
            return queryset.prefetch_related(*(field.name for field in fields if not field.many_to_one))
        prefetches = [
            Prefetch(name, queryset=model._meta.get_field(name).related_model.objects.visible_to(user))
            for name in self.scoped_relations
        ]
        return queryset.prefetch_related(*prefetches)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format in TABLE_FORMATS:
            return self.list_table(request)  # not through the plan below: no page
        # A hot list (`rows_from_values`) is built from `.values()` rows by the plan core.api.rows
        # derives from the serializer's fields: same filters, ordering, scope and pagination as the
        # serializer path; only the rows' construction differs (tests compare both outputs). The
        # OpenAPI text of every operation is written by core.api.schema, never taken from a docstring.
        plan = row_plan(self.get_serializer_class()) if self.rows_from_values else None
        scoped = () if is_staff_member(request.user) else self.scoped_relations
        if plan is None or not plan.usable(scoped) or self.paginator is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        rows = plan.page_rows(queryset, scoped)
        # Count the rows without the joins their columns need (Django keeps a `.values()` join in
        # its COUNT), so the count stays what it is for the serializer path (an index-only scan),
        # and is kept under the same key (core.api.pagination.KeptCountPaginator).
        rows.counted_rows = queryset
        return self.get_paginated_response(plan.rows(self.paginate_queryset(rows), request.user, scoped))

    def list_table(self, request):
        """The table download, with a hot list's rows built by its plan (as its JSON pages are)."""
        plan = row_plan(self.get_serializer_class()) if self.rows_from_values else None
        scoped = () if is_staff_member(request.user) else self.scoped_relations
        queryset = self.filter_queryset(self.get_queryset())
        if plan is not None and plan.usable(scoped):
            rows = plan.page_rows(queryset.prefetch_related(None), scoped)
            return list_table(self, rows, lambda chunk: plan.rows(list(chunk), request.user, scoped))
        return super().list_table(request)


class ScopedReadOnlyModelViewSet(ScopedReads, viewsets.ReadOnlyModelViewSet):
    """A resource the API serves but never writes (figures the server computes, such as snapshots)."""

    http_method_names = ["get", "head", "options"]


class ScopedModelViewSet(ScopedReads, viewsets.ModelViewSet):
    """Rows through `visible_to(request.user)`; writes checked by the rules of `core.access`, then announced."""

    def perform_create(self, serializer) -> None:
        # Saved, checked and announced by the service the partner portal writes through too.
        row_write(
            user=self.request.user,
            resource=resource_of(self),
            action="create",
            save=lambda: serializer.save(**self.extra_save_kwargs(created=True)),
        )

    def perform_update(self, serializer) -> None:
        errors = partner_field_errors(self.request.user, resource_of(self), self.request.data)
        if errors:
            raise exceptions.ValidationError(errors)
        row_write(
            user=self.request.user,
            resource=resource_of(self),
            action="update",
            save=lambda: serializer.save(**self.extra_save_kwargs(created=False)),
        )

    def perform_destroy(self, instance) -> None:
        # Through the pages' service: recorded, and a person's record erased everywhere (core/personal_data).
        with transaction.atomic():
            api_write.send(sender=type(instance), user=self.request.user, action="delete", obj=instance)
            row_delete(obj=instance, user=self.request.user)

    def extra_save_kwargs(self, *, created: bool) -> dict:
        """Values the server sets, such as `recorded_by` on a new row."""
        return {}
