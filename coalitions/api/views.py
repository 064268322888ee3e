from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import ApiPermission
from core.api.rows import row_plan
from core.api.schema import ApiAutoSchema
from core.api.viewsets import ScopedModelViewSet
from core.parsing import ID_PATTERN
from core.short_tables import kept
from core.versions import row_values
from countries.models import Country, Region

from ..charts import DRAWING_TIMEOUT, map_key
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
from ..moves import DIMENSIONS, deltas, distance, order_key, positions
from ..rollup import coalition_rollup_coalitions, coalitions_of, period_of, rollup
from .serializers import (
    AssessmentSerializer,
    CoalitionHealthSerializer,
    CoalitionSerializer,
    CommitmentSerializer,
    EngagementSerializer,
    InitiativeSerializer,
    LearningNoteSerializer,
    MapEntrySerializer,
    MapQuerySerializer,
    MembershipSerializer,
    OutcomeSerializer,
    RollupQuerySerializer,
    RollupSerializer,
)

REGION_IDS = Prefetch("regions", queryset=Region.objects.only("id"))


ROLLUP_PARAMETERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="ISO date, first day of the period (default: 365 days before `end`)."
    ),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, description="ISO date, last day of the period, included (default: today)."
    ),
]
ROLLUP_FIGURES = (
    "For a period (both days included): members active (memberships overlapping the period) and their "
    "sectors, engagements and their participants, commitments made, due, done and overdue and the fulfilment "
    "rate (done ÷ due), outcomes harvested, and learning notes shared up to and down from the linked coalition. "
    "In the total, actors are counted once; the other figures are summed. A date that is not an ISO date, or "
    "an end before the start, answers 400."
)


def rollup_response(request, coalitions: list[Coalition]) -> Response:
    """The roll-up of these coalitions for the period the query asks (the three roll-up endpoints)."""
    query = RollupQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    period = period_of(start=query.validated_data.get("start"), end=query.validated_data.get("end"))
    return Response(RollupSerializer(rollup(coalitions, period)).data)


class InitiativeViewSet(ScopedModelViewSet):
    queryset = Initiative.objects.select_related("country").prefetch_related(REGION_IDS)
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    partner_reads = "public initiatives and those of their coalitions"
    ordering_fields = ["id", "name", "phase", "starts_on", "updated_at"]
    scoped_relations = ("lead",)

    def get_queryset(self):
        queryset = super().get_queryset()
        # The map needs only the initiative's own row; its regions and objectives are not shown.
        return queryset.prefetch_related(None) if self.action == "map" else queryset

    @extend_schema(
        responses={200: MapEntrySerializer(many=True)},
        filters=False,
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="ISO date: each stakeholder as last assessed on or before it (default: today).",
            ),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATE,
                description="ISO date before `as_of`: add each stakeholder's movement since its position on it.",
            ),
        ],
        summary="Stakeholder map of an initiative",
        description=(
            "Returns the latest assessment of each stakeholder in this initiative (power, capabilities, "
            "interest, stance) on or before `as_of`, ordered by stakeholder name; not paginated.\n\n"
            "With `since`, each row's `movement` gives its position on that date, the change of each dimension "
            "and the distance moved, and the rows are ordered by who moved furthest (then stakeholders first "
            "assessed after `since`, then those that did not move). A date that is not an ISO date, or a "
            "`since` not before `as_of`, answers 400.\n\n"
            "Who may call: program staff and admins only. A partner gets 404."
        ),
    )
    @action(detail=True, methods=["get"], url_path="map", pagination_class=None)
    def map(self, request, pk=None) -> Response:
        initiative = self.get_object()
        query = MapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of, since = query.validated_data.get("as_of"), query.validated_data.get("since")
        # Kept in the cache under the versions of the assessments' and the stakeholders' tables (map_key) and
        # the initiative's own values (its brief is in every row): reading and shaping a few hundred rows is the work.
        key = map_key(initiative, request.user, "api", row_values(initiative), as_of, since)
        entries = kept(
            key, lambda: self._map_entries(request, initiative, as_of=as_of, since=since), timeout=DRAWING_TIMEOUT
        )
        return Response(entries)

    def _map_entries(self, request, initiative, *, as_of, since) -> list[dict]:
        assessments = positions(initiative=initiative, user=request.user, on=as_of).order_by(
            "stakeholder__name", "stakeholder_id"
        )
        # Built from `.values()` rows (an initiative can have thousands), the same JSON as AssessmentSerializer;
        # assessments are staff-only, so every relation is joined.
        plan = row_plan(AssessmentSerializer)
        rows = plan.rows(list(assessments.values(*plan.columns(()))), request.user, ())
        if since is None:
            return [{**row, "movement": None} for row in rows]
        before = {
            row["stakeholder_id"]: row
            for row in positions(initiative=initiative, user=request.user, on=since).values(
                "id", "stakeholder_id", "assessed_on", *(name for name, _label in DIMENSIONS)
            )
        }
        entries = []
        for row in rows:
            previous = before.get(row["stakeholder"])
            if previous is not None:
                previous = {key: value for key, value in previous.items() if key != "stakeholder_id"}
            moved_by = distance(row, previous)
            movement = {"since": since, "previous": previous, "change": deltas(row, previous), "distance": moved_by}
            key = order_key(moved_by=moved_by, name=row["stakeholder_brief"]["name"], pk=row["stakeholder"])
            entries.append((key, {**row, "movement": movement}))
        entries.sort(key=lambda entry: entry[0])
        return [entry for _key, entry in entries]

    @extend_schema(
        responses=RollupSerializer,
        filters=False,
        parameters=ROLLUP_PARAMETERS,
        summary="Roll-up of an initiative's coalitions",
        description=(
            "Returns the figures of each coalition of this initiative, side by side, and their total. "
            + ROLLUP_FIGURES
            + "\n\nWho may call: program staff and admins; partners for the initiatives they see (an "
            "initiative out of their sight answers 404), with the figures of their own coalitions only "
            "(none, when none of them is in it)."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def rollup(self, request, pk=None) -> Response:
        initiative = self.get_object()
        return rollup_response(request, coalitions_of(request.user, initiative=initiative))


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
    partner_reads = "the coalitions in which their organisation has an open membership"
    ordering_fields = ["id", "name", "status", "formed_on", "updated_at"]
    scoped_relations = ("initiative", "parent", "objectives")

    @extend_schema(
        responses=CoalitionHealthSerializer,
        filters=False,
        summary="Health figures of a coalition",
        description=(
            "Returns the coalition's members with an open membership, the sectors they represent, its "
            "engagements in the last 90 days, and its commitments done, overdue and open.\n\n"
            "Who may call: program staff and admins; partners for the coalitions in which their "
            "organisation has an open membership (any other answers 404)."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def health(self, request, pk=None) -> Response:
        coalition = self.get_object()
        return Response(CoalitionHealthSerializer(coalition.health()).data)

    @extend_schema(
        responses=RollupSerializer,
        filters=False,
        parameters=ROLLUP_PARAMETERS,
        summary="Roll-up of a coalition and its linked local coalitions",
        description=(
            "Returns the figures of this coalition and of each local coalition linked to it now, side by side, "
            "and their total. "
            + ROLLUP_FIGURES
            + "\n\nWho may call: program staff and admins; partners for the coalitions in which their "
            "organisation has an open membership, with the figures of those coalitions only (any other answers 404)."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def rollup(self, request, pk=None) -> Response:
        coalition = self.get_object()
        return rollup_response(request, coalition_rollup_coalitions(coalition, request.user))


class CountryRollupViewSet(viewsets.GenericViewSet):
    """A country's roll-up, served beside the countries' own routes (`countries` sits below coalitions)."""

    queryset = Country.objects.all()
    lookup_value_regex = ID_PATTERN
    permission_classes = [ApiPermission]
    schema = ApiAutoSchema()
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    @extend_schema(
        responses=RollupSerializer,
        parameters=ROLLUP_PARAMETERS,
        summary="Roll-up of a country's coalitions",
        description=(
            "Returns the figures of each coalition of this country, side by side, and their total. "
            + ROLLUP_FIGURES
            + "\n\nWho may call: program staff and admins; partners, with the figures of their own "
            "coalitions only (none, in a country where they have none)."
        ),
    )
    @action(detail=True, methods=["get"])
    def rollup(self, request, pk=None) -> Response:
        country = self.get_object()
        return rollup_response(request, coalitions_of(request.user, initiative__country=country))


class MembershipViewSet(ScopedModelViewSet):
    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    partner_reads = "the memberships of their coalitions"
    ordering_fields = ["id", "joined_on", "left_on", "role", "updated_at"]
    scoped_relations = ("coalition", "stakeholder")

    # A coalition's members page (up to thousands of members): built from `.values()` rows (core.api.rows).
    rows_from_values = True


# A partner's first calls, with the ids of a fresh demo (`make run`): partner-co's coalition is 2 and
# the commitment its organisation owns is 1 (docs/api.md walks through the same calls).
@extend_schema_view(
    partial_update=extend_schema(
        examples=[
            OpenApiExample(
                "Done",
                summary="Mark it done, with its evidence",
                value={"status": "done", "evidence": "https://example.org/report.pdf"},
                request_only=True,
            ),
            OpenApiExample("Clear", summary="Clear the evidence", value={"evidence": ""}, request_only=True),
        ]
    )
)
class CommitmentViewSet(ScopedModelViewSet):
    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    partner_reads = "the commitments of their coalitions"
    ordering_fields = ["id", "due_on", "status", "updated_at"]
    scoped_relations = ("coalition", "owner", "objective")


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "Workshop",
                summary="A workshop in partner-co's coalition (demo data)",
                value={"coalition": 2, "occurred_on": "2026-02-03", "kind": "workshop", "title": "Taller Manaure"},
                request_only=True,
            )
        ]
    ),
)
class EngagementViewSet(ScopedModelViewSet):
    queryset = Engagement.objects.all()
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilterSet
    partner_reads = "the engagements of their coalitions"
    ordering_fields = ["id", "occurred_on", "kind", "follow_up_on", "updated_at"]
    scoped_relations = ("coalition", "initiative", "participants")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"recorded_by": self.request.user} if created else {}


class OutcomeViewSet(ScopedModelViewSet):
    queryset = Outcome.objects.all()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilterSet
    partner_reads = "the outcomes of their coalitions"
    ordering_fields = ["id", "observed_on", "change_type", "updated_at"]
    scoped_relations = ("coalition", "actors", "objective")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"recorded_by": self.request.user} if created else {}


class LearningNoteViewSet(ScopedModelViewSet):
    queryset = LearningNote.objects.all()
    serializer_class = LearningNoteSerializer
    filterset_class = LearningNoteFilterSet
    partner_reads = "the learning notes of their coalitions and those shared with them"
    ordering_fields = ["id", "created_at", "updated_at", "title"]
    scoped_relations = ("coalition", "initiative", "shared_with")

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"author": self.request.user} if created else {}
