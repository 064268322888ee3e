from core.api.viewsets import ScopedModelViewSet

from ..filters import IndicatorFilterSet, IndicatorValueFilterSet
from ..models import Indicator, IndicatorValue
from .serializers import IndicatorSerializer, IndicatorValueSerializer


class IndicatorViewSet(ScopedModelViewSet):
    queryset = Indicator.objects.select_related("objective", "region").with_values()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    partner_reads = "the indicators of their coalitions, of their or public initiatives, and of plans"
    ordering_fields = ["id", "name", "updated_at"]
    # A plan objective's indicator is public, but the initiative or coalition one names may be out of a
    # partner's sight: those relations are fetched through visible_to, so they show as null, not as an id.
    scoped_relations = ("initiative", "coalition")


class IndicatorValueViewSet(ScopedModelViewSet):
    queryset = IndicatorValue.objects.select_related("indicator")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    partner_reads = "the values of the indicators they may see"
    ordering_fields = ["id", "period_end", "updated_at"]
