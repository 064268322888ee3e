import django_filters

from core.filters import BaseFilterSet, DateRangeFilter

from .models import Explorer


class ExplorerFilterSet(BaseFilterSet):
    search_fields = ("name", "email", "organisation")
    status = django_filters.MultipleChoiceFilter(choices=Explorer.Status.choices, distinct=False)
    created_at = DateRangeFilter()

    class Meta:
        model = Explorer
        fields = ["country", "status", "preferred_language", "interests"]
