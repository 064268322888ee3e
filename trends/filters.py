from core.filters import BaseFilterSet, DateRangeFilter

from .models import NetworkSnapshot


class NetworkSnapshotFilterSet(BaseFilterSet):
    period = DateRangeFilter()

    class Meta:
        model = NetworkSnapshot
        fields = ["country", "initiative"]
