"""The base of every FilterSet: free-text `q` and `updated_since` for clients that sync."""

import copy
from functools import partial, reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


def _visible_choices(queryset, request):
    return queryset.visible_to(getattr(request, "user", None))


def _copy_filter(filter_: django_filters.Filter) -> django_filters.Filter:
    """A filter of the class for one FilterSet instance: what django-filter's deepcopy gives, cheaper.

    django-filter deep-copies every declared filter on each request, querysets, choice lists,
    lazy labels and widgets included (~650 copies for the stakeholder filters). What a filter
    changes on itself while it serves one request is its attributes (`parent`, `model`, `_field`,
    `_label`, `distinct`, `queryset`, `lookup_expr`) and its `extra` dict (the field's queryset), so
    a copy of those, and a field of its own, is enough: the values it shares with the class (a
    queryset, a choice list, a widget) are copied again by the form field built from them, never
    changed in place.
    """
    clone = copy.copy(filter_)
    clone.extra = filter_.extra.copy()
    # A field the class's filter built already (the API schema reads `base_filters[...].field`) is
    # built afresh for this FilterSet: the form would otherwise share it with every other request.
    clone.__dict__.pop("_field", None)
    if filter_.method is not None:
        # The FilterMethod proxy points at its filter: give the clone its own (django-filter's setter).
        clone.method = filter_.method
    return clone


class BaseFilterSet(django_filters.FilterSet):
    """One FilterSet per model serves both the staff list page and the API."""

    #: Fields `q` searches (case-insensitive substring, any of them).
    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since")
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None) -> None:
        # django-filter's __init__, with _copy_filter instead of a deepcopy of every filter.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _copy_filter(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
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

    @property
    def form(self):
        """The filters' form: django-filter's, without a new form class and a deepcopy of its fields.

        django-filter builds a form class per request from the filters' fields, and the form
        deep-copies them again. Each filter here builds its field for this FilterSet only, so
        the form takes those fields as they are.
        """
        if not hasattr(self, "_form"):
            form_class = self._meta.form
            if self.is_bound:
                form = form_class(self.data, prefix=self.form_prefix)
            else:
                form = form_class(prefix=self.form_prefix)
            form.fields.update((name, filter_.field) for name, filter_ in self.filters.items())
            if form.field_order is not None:
                form.order_fields(form.field_order)
            self._form = form
        return self._form

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields)))
