from core.api.viewsets import ScopedReadOnlyModelViewSet

from ..filters import CoalitionHealthSnapshotFilterSet, NetworkSnapshotFilterSet
from ..models import CoalitionHealthSnapshot, NetworkSnapshot
from .serializers import CoalitionHealthSnapshotSerializer, NetworkSnapshotSerializer


class NetworkSnapshotViewSet(ScopedReadOnlyModelViewSet):
    queryset = NetworkSnapshot.objects.select_related("country", "initiative")
    serializer_class = NetworkSnapshotSerializer
    filterset_class = NetworkSnapshotFilterSet
    ordering_fields = ["id", "period", "density", "connected", "updated_at"]


class CoalitionHealthSnapshotViewSet(ScopedReadOnlyModelViewSet):
    queryset = CoalitionHealthSnapshot.objects.select_related("coalition")
    serializer_class = CoalitionHealthSnapshotSerializer
    filterset_class = CoalitionHealthSnapshotFilterSet
    ordering_fields = ["id", "period", "members_active", "commitments_overdue", "last_met_on", "updated_at"]
    partner_reads = "the monthly health figures of their coalitions"
