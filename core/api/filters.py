"""The API's list filters: the FilterSet's filters and `?ordering=`, both strict and both in the schema.

A value the API does not know is a 400 in the one error format, never ignored: a client that
misspells an ordering field or a filter's value would otherwise get every row, in some order, and
believe it was what it asked for. The FilterSet refuses unknown filter values (core.filters); this
module refuses unknown orderings and lists the allowed ones in the schema.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from core.filters import BaseFilterSet
from core.search import search_ordering


class FilterBackend(DjangoFilterBackend):
    """The viewset's FilterSet, with a form of only the filters the request gives (`given_only`):
    the API never renders the form, so the fields of the other filters would be built for nothing."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if issubclass(filterset_class, BaseFilterSet):
            kwargs["given_only"] = True
        return filterset_class(**kwargs)


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=name` or `?ordering=-name,id`: each one of the viewset's `ordering_fields`, `-` for descending."""

    ordering_description = _("Sort by this field; prefix it with - for descending. Several: comma-separated.")

    def filter_queryset(self, request, queryset, view):
        """The ordering asked for, after a search's rank (core.search): best matches stay first."""
        ordering = self.get_ordering(request, queryset, view)
        return queryset.order_by(*search_ordering(queryset, ordering)) if ordering else queryset

    def get_ordering(self, request, queryset, view):
        param = request.query_params.get(self.ordering_param)
        if param is None or not param.strip():
            return self.get_default_ordering(view)
        terms = [term.strip() for term in param.split(",")]
        valid = set(self.remove_invalid_fields(queryset, terms, view, request))
        unknown = [term for term in terms if term not in valid]
        if unknown:
            allowed = ", ".join(view.ordering_fields)
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering %(terms)s: use one of %(allowed)s, with - for descending.")
                        % {"terms": ", ".join(repr(term) for term in unknown), "allowed": allowed}
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", None) or ())
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(self.ordering_description),
                # One field per value in the schema (generated clients build an enum of them); the
                # server also accepts several, comma-separated.
                "schema": {
                    "type": "string",
                    "enum": [term for field in fields for term in (field, f"-{field}")],
                    # Names for generated enums (openapi-python-client, openapi-generator): NAME, NAME_DESC.
                    "x-enum-varnames": [name for field in fields for name in (field.upper(), f"{field.upper()}_DESC")],
                },
            }
        ]
