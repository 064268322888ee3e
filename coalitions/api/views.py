from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.access import is_staff_member
from core.api.viewsets import ScopedModelViewSet
from countries.models import Region

from ..filters import (
    AssessmentFilterSet,
    CoalitionFilterSet,
    CommitmentFilterSet,
    EngagementFilterSet,
    InitiativeFilterSet,
    LearningNoteFilterSet,
    MembershipFilterSet,
    OutcomeFilterSet,
)
from ..models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome
from .serializers import (
    ASSESSMENT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    MEMBERSHIP_JOINED,
    AssessmentSerializer,
    CoalitionHealthSerializer,
    CoalitionSerializer,
    CommitmentSerializer,
    EngagementSerializer,
    InitiativeSerializer,
    LearningNoteSerializer,
    MembershipSerializer,
    OutcomeSerializer,
    assessment_rows,
    membership_rows,
)

REGION_IDS = Prefetch("regions", queryset=Region.objects.only("id"))


class InitiativeViewSet(ScopedModelViewSet):
    queryset = Initiative.objects.select_related("country").prefetch_related(REGION_IDS)
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    ordering_fields = ["id", "name", "phase", "starts_on", "updated_at"]
    scoped_relations = ("lead",)

    def get_queryset(self):
        queryset = super().get_queryset()
        # The map needs only the initiative's own row; its regions and objectives are not shown.
        return queryset.prefetch_related(None) if self.action == "map" else queryset

    @extend_schema(
        responses=AssessmentSerializer(many=True),
        filters=False,
        description="The latest assessment of each stakeholder in this initiative (program staff only).",
    )
    @action(detail=True, methods=["get"], url_path="map", pagination_class=None)
    def map(self, request, pk=None) -> Response:
        initiative = self.get_object()
        assessments = (
            Assessment.objects.visible_to(request.user)
            .filter(initiative=initiative)
            .latest()
            .order_by("stakeholder__name", "stakeholder_id")
            .values(*ASSESSMENT_COLUMNS)
        )
        # Built from `.values()` rows (an initiative can have thousands), the same JSON as AssessmentSerializer.
        return Response(assessment_rows(assessments))


class AssessmentViewSet(ScopedModelViewSet):
    queryset = Assessment.objects.select_related("stakeholder", "initiative")
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    ordering_fields = ["id", "assessed_on", "stance", "power", "updated_at"]

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"assessed_by": self.request.user} if created else {}


class CoalitionViewSet(ScopedModelViewSet):
    queryset = Coalition.objects.prefetch_related(REGION_IDS)
    serializer_class = CoalitionSerializer
    filterset_class = CoalitionFilterSet
    ordering_fields = ["id", "name", "status", "formed_on", "updated_at"]
    scoped_relations = ("initiative", "parent", "objectives")

    @extend_schema(responses=CoalitionHealthSerializer, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def health(self, request, pk=None) -> Response:
        """Members active, sectors represented, engagements in the last 90 days, commitments done/overdue/open."""
        coalition = self.get_object()
        return Response(CoalitionHealthSerializer(coalition.health()).data)


class MembershipViewSet(ScopedModelViewSet):
    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["id", "joined_on", "left_on", "role", "updated_at"]
    scoped_relations = ("coalition", "stakeholder")

    # A coalition's members page is built from `.values()` rows; the serializer serves the rest.
    def list_columns(self) -> tuple[str, ...]:
        joined = is_staff_member(self.request.user)
        return (*MEMBERSHIP_COLUMNS, *MEMBERSHIP_JOINED) if joined else MEMBERSHIP_COLUMNS

    def list_rows(self, page: list[dict]) -> list[dict]:
        user = self.request.user
        return membership_rows(page, user, joined=is_staff_member(user))


class CommitmentViewSet(ScopedModelViewSet):
    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    ordering_fields = ["id", "due_on", "status", "updated_at"]
    scoped_relations = ("coalition", "owner", "objective")


class EngagementViewSet(ScopedModelViewSet):
    queryset = Engagement.objects.all()
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilterSet
    ordering_fields = ["id", "occurred_on", "kind", "follow_up_on", "updated_at"]
    scoped_relations = ("coalition", "initiative", "participants")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"recorded_by": self.request.user} if created else {}


class OutcomeViewSet(ScopedModelViewSet):
    queryset = Outcome.objects.all()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    ordering_fields = ["id", "observed_on", "change_type", "updated_at"]
    scoped_relations = ("coalition", "actors", "objective")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"recorded_by": self.request.user} if created else {}


class LearningNoteViewSet(ScopedModelViewSet):
    queryset = LearningNote.objects.all()
    serializer_class = LearningNoteSerializer
    filterset_class = LearningNoteFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "title"]
    scoped_relations = ("coalition", "initiative", "shared_with")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"author": self.request.user} if created else {}
