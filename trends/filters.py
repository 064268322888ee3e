from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet, DateRangeFilter, ShortListChoiceFilter, visible
from countries.models import Country

from .models import CoalitionHealthSnapshot, NetworkSnapshot


class NetworkSnapshotFilterSet(BaseFilterSet):
    period = DateRangeFilter()

    class Meta:
        model = NetworkSnapshot
        fields = ["country", "initiative"]


class CoalitionHealthSnapshotFilterSet(BaseFilterSet):
    period = DateRangeFilter()
    country = ShortListChoiceFilter(
        field_name="coalition__initiative__country",
        queryset=visible(Country),
        empty_label=_("All countries"),
        label=_("Country"),
    )

    class Meta:
        model = CoalitionHealthSnapshot
        fields = ["coalition"]
