from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer, RegionBriefSerializer

from ..models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow

TIMESTAMPS = ["created_at", "updated_at"]


class PlanObjectiveBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanObjective
        fields = ["id", "code", "title"]


class EntryPointSerializer(ValidatedModelSerializer):
    country_brief = CountryBriefSerializer(source="country", read_only=True)
    score = serializers.IntegerField(read_only=True)
    initiative = serializers.SerializerMethodField()

    class Meta:
        model = EntryPoint
        fields = [
            "id",
            "country",
            "country_brief",
            "regions",
            "title",
            "challenge",
            "opportunity",
            "stakeholders",
            "feasibility",
            "feasibility_rationale",
            "impact",
            "impact_rationale",
            "added_value",
            "added_value_rationale",
            "score",
            "status",
            "status_reason",
            "analysed_on",
            "analysed_by",
            "initiative",
            *TIMESTAMPS,
        ]
        read_only_fields = ["analysed_by"]
        extra_kwargs = {
            name: bounded(EntryPoint, f"entrypoint_{name}_1_5", min_value=1, max_value=5)
            for name in ("feasibility", "impact", "added_value")
        }

    def get_initiative(self, obj) -> int | None:
        """The id of the initiative created when the entry point was selected."""
        initiative = getattr(obj, "initiative", None)
        return initiative.pk if initiative else None


class DevelopmentPlanSerializer(ValidatedModelSerializer):
    country_brief = CountryBriefSerializer(source="country", read_only=True)
    region_brief = RegionBriefSerializer(source="region", read_only=True, allow_null=True)

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id",
            "country",
            "country_brief",
            "region",
            "region_brief",
            "level",
            "name",
            "start_year",
            "end_year",
            "source_url",
            *TIMESTAMPS,
        ]


class PlanObjectiveSerializer(ValidatedModelSerializer):
    class Meta:
        model = PlanObjective
        fields = ["id", "plan", "code", "title", "description", *TIMESTAMPS]


class ResourceFlowSerializer(ValidatedModelSerializer):
    region_brief = RegionBriefSerializer(source="region", read_only=True)

    class Meta:
        model = ResourceFlow
        fields = [
            "id",
            "region",
            "region_brief",
            "municipality",
            "fiscal_year",
            "month",
            "source",
            "amount",
            "currency",
            "is_sample",
            "note",
            *TIMESTAMPS,
        ]
        # A flow to a municipality may leave out the region: it is the municipality's (ResourceFlow.clean_fields).
        extra_kwargs = {"region": {"required": False}}

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if values.get("municipality") and "region" not in values and self.instance is None:
            # Before the unique-constraint validators, which need the region (ResourceFlow.clean_fields).
            values["region"] = values["municipality"].region
        return values


class BudgetExecutionSerializer(ValidatedModelSerializer):
    region_brief = RegionBriefSerializer(source="region", read_only=True)
    objective_brief = PlanObjectiveBriefSerializer(source="objective", read_only=True, allow_null=True)
    execution_rate = serializers.DecimalField(max_digits=12, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = BudgetExecution
        fields = [
            "id",
            "region",
            "region_brief",
            "fiscal_year",
            "objective",
            "objective_brief",
            "project_code",
            "project_name",
            "funding_source",
            "allocated",
            "executed",
            "execution_rate",
            "currency",
            "is_sample",
            *TIMESTAMPS,
        ]
