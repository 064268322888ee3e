from django.db.models import Prefetch

from core.api.viewsets import ScopedModelViewSet
from countries.models import Region

from ..filters import ContactFilterSet, RelationshipFilterSet, StakeholderFilterSet
from ..models import Contact, Relationship, Stakeholder, Tag
from .serializers import ContactSerializer, RelationshipSerializer, StakeholderSerializer


class StakeholderViewSet(ScopedModelViewSet):
    queryset = Stakeholder.objects.select_related("country").prefetch_related(
        # Ids only: no join on countries and no sort by name (Region's default ordering).
        Prefetch("regions", queryset=Region.objects.order_by("pk").only("id")),
        Prefetch("tags", queryset=Tag.objects.order_by("key", "pk").only("id", "name")),
    )
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    partner_reads = "their own organisation and the members of their coalitions"
    ordering_fields = ["id", "name", "sector", "level", "updated_at"]
    scoped_relations = ("organisation",)

    # The directory partners sync: built from `.values()` rows (core.api.rows).
    rows_from_values = True


class ContactViewSet(ScopedModelViewSet):
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    partner_reads = "only the people of their own organisation"
    ordering_fields = ["id", "name", "updated_at"]
    scoped_relations = ("stakeholder",)


class RelationshipViewSet(ScopedModelViewSet):
    queryset = Relationship.objects.select_related("source", "target")
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet
    ordering_fields = ["id", "kind", "strength", "since", "updated_at"]
