"""The base of every FilterSet: free-text `q` and `updated_since` for clients that sync."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BaseFilterSet(django_filters.FilterSet):
    """One FilterSet per model serves both the staff list page and the API."""

    #: Fields `q` searches (case-insensitive substring, any of them).
    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since")
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields)))
