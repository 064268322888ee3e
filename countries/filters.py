import django_filters

from core.filters import BaseFilterSet

from .models import Country, Municipality, Region


class CountryFilterSet(BaseFilterSet):
    search_fields = ("name", "code")
    status = django_filters.MultipleChoiceFilter(choices=Country.Status.choices, distinct=False)

    class Meta:
        model = Country
        fields = ["code", "status"]


class RegionFilterSet(BaseFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.MultipleChoiceFilter(choices=Region.Kind.choices, distinct=False)

    class Meta:
        model = Region
        fields = ["country", "kind", "parent", "code"]


class MunicipalityFilterSet(BaseFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.MultipleChoiceFilter(choices=Municipality.Kind.choices, distinct=False)

    class Meta:
        model = Municipality
        fields = ["country", "region", "kind", "code"]
