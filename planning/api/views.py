from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet
from countries.models import Region
from stakeholders.models import Stakeholder

from ..filters import (
    BudgetExecutionFilterSet,
    DevelopmentPlanFilterSet,
    EntryPointFilterSet,
    PlanObjectiveFilterSet,
    ResourceFlowFilterSet,
)
from ..models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow
from ..services import entry_point_select
from .serializers import (
    BudgetExecutionSerializer,
    DevelopmentPlanSerializer,
    EntryPointSerializer,
    PlanObjectiveSerializer,
    ResourceFlowSerializer,
)


class EntryPointViewSet(ScopedModelViewSet):
    queryset = (
        EntryPoint.objects.select_related("country", "initiative", "analysed_by")
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("id")),
            Prefetch("stakeholders", queryset=Stakeholder.objects.only("id")),
        )
        .ranked()
    )
    serializer_class = EntryPointSerializer
    filterset_class = EntryPointFilterSet
    ordering_fields = ["id", "title", "feasibility", "impact", "added_value", "total_score", "updated_at"]

    def extra_save_kwargs(self, *, created: bool) -> dict:
        return {"analysed_by": self.request.user} if created else {}

    @extend_schema(
        request=None,
        responses=EntryPointSerializer,
        summary="Select an entry point",
        description=(
            "Marks the entry point selected and creates the initiative that works on it; returns the "
            "entry point as stored, with its new initiative. No body.\n\n"
            "Who may call: program staff of the entry point's country and admins only. A partner gets 404."
        ),
    )
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None) -> Response:
        entry_point = self.get_object()
        entry_point_select(entry_point_id=entry_point.pk, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=entry_point.pk)).data)


class DevelopmentPlanViewSet(ScopedModelViewSet):
    queryset = DevelopmentPlan.objects.select_related("country", "region")
    serializer_class = DevelopmentPlanSerializer
    filterset_class = DevelopmentPlanFilterSet
    partner_reads = "every development plan (public data)"
    ordering_fields = ["id", "name", "start_year", "updated_at"]


class PlanObjectiveViewSet(ScopedModelViewSet):
    queryset = PlanObjective.objects.select_related("plan")
    serializer_class = PlanObjectiveSerializer
    filterset_class = PlanObjectiveFilterSet
    partner_reads = "every plan objective (public data)"
    ordering_fields = ["id", "code", "updated_at"]


class ResourceFlowViewSet(ScopedModelViewSet):
    queryset = ResourceFlow.objects.select_related("region")
    serializer_class = ResourceFlowSerializer
    filterset_class = ResourceFlowFilterSet
    partner_reads = "every resource flow (public data)"
    ordering_fields = ["id", "fiscal_year", "month", "amount", "updated_at"]


class BudgetExecutionViewSet(ScopedModelViewSet):
    queryset = BudgetExecution.objects.select_related("region", "objective")
    serializer_class = BudgetExecutionSerializer
    filterset_class = BudgetExecutionFilterSet
    partner_reads = "every budget execution (public data)"
    ordering_fields = ["id", "fiscal_year", "allocated", "executed", "updated_at"]
