from django.db.models import Prefetch

from core.access import is_staff_member
from core.api.viewsets import ScopedModelViewSet
from countries.models import Region

from ..filters import ContactFilterSet, RelationshipFilterSet, StakeholderFilterSet
from ..models import Contact, Relationship, Stakeholder
from .serializers import (
    ORGANISATION_COLUMNS,
    ROW_COLUMNS,
    ContactSerializer,
    RelationshipSerializer,
    StakeholderSerializer,
    stakeholder_rows,
)


class StakeholderViewSet(ScopedModelViewSet):
    queryset = Stakeholder.objects.select_related("country").prefetch_related(
        # Ids only: no join on countries and no sort by name (Region's default ordering).
        Prefetch("regions", queryset=Region.objects.order_by("pk").only("id"))
    )
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet
    partner_reads = "their own organisation and the members of their coalitions"
    ordering_fields = ["id", "name", "sector", "level", "updated_at"]
    scoped_relations = ("organisation",)

    # The list (the directory partners sync) is built from `.values()` rows; the serializer
    # serves a single row, writes and the schema.
    def list_columns(self) -> tuple[str, ...]:
        joined = is_staff_member(self.request.user)
        return (*ROW_COLUMNS, *ORGANISATION_COLUMNS) if joined else ROW_COLUMNS

    def list_rows(self, page: list[dict]) -> list[dict]:
        user = self.request.user
        return stakeholder_rows(page, user, organisation_joined=is_staff_member(user))


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
