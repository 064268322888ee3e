from core.api.viewsets import ScopedModelViewSet

from ..filters import CountryFilterSet, MunicipalityFilterSet, RegionFilterSet
from ..models import Country, Municipality, Region
from .serializers import CountrySerializer, MunicipalitySerializer, RegionSerializer


class CountryViewSet(ScopedModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilterSet
    partner_reads = "every country"
    ordering_fields = ["id", "name", "code", "updated_at"]


class RegionViewSet(ScopedModelViewSet):
    queryset = Region.objects.select_related("country", "parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    partner_reads = "every region"
    ordering_fields = ["id", "name", "code", "updated_at"]


class MunicipalityViewSet(ScopedModelViewSet):
    queryset = Municipality.objects.select_related("country", "region")
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    partner_reads = "every municipality"
    ordering_fields = ["id", "name", "code", "updated_at"]
