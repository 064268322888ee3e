"""The base of every FilterSet: free-text `q` and `updated_since` for clients that sync."""

from functools import partial, reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _visible_choices(queryset, request):
    return queryset.visible_to(getattr(request, "user", None))


class BaseFilterSet(django_filters.FilterSet):
    """One FilterSet per model serves both the staff list page and the API."""

    #: Fields `q` searches (case-insensitive substring, any of them).
    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # django-filter makes every multiple-choice filter DISTINCT, in case it crosses a to-many
            # join. On a column of the model itself no row can repeat, and DISTINCT over every
            # column turns a 50-row page and its count into a sort of every matching row.
            if isinstance(filter_, django_filters.MultipleChoiceFilter) and "__" not in filter_.field_name:
                filter_.distinct = False
            # An id filter (`?coalition=ID`) accepts only rows the user can see: a hidden id is
            # "not a valid choice", exactly like an id that does not exist, so a filter cannot be
            # used to probe which ids exist. Without a request (a page that sets its own choices)
            # the filter keeps its queryset.
            scoped_queryset = getattr(filter_, "queryset", None)
            if self.request is not None and hasattr(scoped_queryset, "visible_to"):
                filter_.queryset = partial(_visible_choices, scoped_queryset)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields)))
