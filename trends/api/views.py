from core.api.viewsets import ScopedReadOnlyModelViewSet

from ..filters import NetworkSnapshotFilterSet
from ..models import NetworkSnapshot
from .serializers import NetworkSnapshotSerializer


class NetworkSnapshotViewSet(ScopedReadOnlyModelViewSet):
    queryset = NetworkSnapshot.objects.select_related("country", "initiative")
    serializer_class = NetworkSnapshotSerializer
    filterset_class = NetworkSnapshotFilterSet
    ordering_fields = ["id", "period", "density", "connected", "updated_at"]
