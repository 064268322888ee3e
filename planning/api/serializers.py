from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.serializers import ConstrainedModelSerializer
from countries.api.serializers import CountryBriefSerializer, RegionBriefSerializer

from ..models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow

TIMESTAMPS = ["created_at", "updated_at"]
SCORE = {"min_value": 1, "max_value": 5}


class PlanObjectiveBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanObjective
        fields = ["id", "code", "title"]


class EntryPointSerializer(ConstrainedModelSerializer):
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
        extra_kwargs = dict.fromkeys(("feasibility", "impact", "added_value"), SCORE)

    def validate_status(self, value: str) -> str:
        current = getattr(self.instance, "status", None)
        if value == EntryPoint.Status.SELECTED and current != EntryPoint.Status.SELECTED:
            raise serializers.ValidationError(_("Use the select action: it creates the initiative."))
        return value

    def get_initiative(self, obj) -> int | None:
        """The id of the initiative created when the entry point was selected."""
        initiative = getattr(obj, "initiative", None)
        return initiative.pk if initiative else None


class DevelopmentPlanSerializer(ConstrainedModelSerializer):
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

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        region = attrs.get("region", getattr(self.instance, "region", None))
        country = attrs.get("country", getattr(self.instance, "country", None))
        if region is not None and country is not None and region.country_id != country.pk:
            raise serializers.ValidationError({"region": [_("The region is not in the plan's country.")]})
        return attrs


class PlanObjectiveSerializer(ConstrainedModelSerializer):
    class Meta:
        model = PlanObjective
        fields = ["id", "plan", "code", "title", "description", *TIMESTAMPS]


class ResourceFlowSerializer(ConstrainedModelSerializer):
    region_brief = RegionBriefSerializer(source="region", read_only=True)

    class Meta:
        model = ResourceFlow
        fields = [
            "id",
            "region",
            "region_brief",
            "fiscal_year",
            "month",
            "source",
            "amount",
            "currency",
            "is_sample",
            "note",
            *TIMESTAMPS,
        ]


class BudgetExecutionSerializer(ConstrainedModelSerializer):
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
