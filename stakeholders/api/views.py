from django.db.models import Prefetch

from core.api.viewsets import ScopedModelViewSet
from countries.models import Region

from ..filters import ContactFilterSet, RelationshipFilterSet, StakeholderFilterSet
from ..models import Contact, Relationship, Stakeholder
from .serializers import ContactSerializer, RelationshipSerializer, StakeholderSerializer


class StakeholderViewSet(ScopedModelViewSet):
    queryset = Stakeholder.objects.select_related("country").prefetch_related(
        Prefetch("regions", queryset=Region.objects.only("id"))
    )
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    ordering_fields = ["id", "name", "sector", "level", "updated_at"]
    scoped_relations = ("organisation",)


class ContactViewSet(ScopedModelViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    ordering_fields = ["id", "name", "updated_at"]
    scoped_relations = ("stakeholder",)


class RelationshipViewSet(ScopedModelViewSet):
    queryset = Relationship.objects.select_related("source", "target")
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet
    ordering_fields = ["id", "kind", "strength", "since", "updated_at"]
