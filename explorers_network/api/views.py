from django.db.models import Prefetch

from core.api.viewsets import ScopedModelViewSet

from ..filters import ExplorerFilterSet
from ..models import Explorer, Topic
from .serializers import ExplorerSerializer


class ExplorerViewSet(ScopedModelViewSet):
    queryset = Explorer.objects.prefetch_related(Prefetch("interests", queryset=Topic.objects.only("id")))
    serializer_class = ExplorerSerializer
    filterset_class = ExplorerFilterSet
    ordering_fields = ["id", "name", "created_at", "updated_at", "status"]
