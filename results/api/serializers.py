from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer

from ..models import Indicator, IndicatorValue

TIMESTAMPS = ["created_at", "updated_at"]


class ProgressSerializer(serializers.Serializer):
    status = serializers.CharField()
    share = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    expected = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)


class IndicatorSerializer(ValidatedModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "objective",
            "initiative",
            "coalition",
            "region",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "progress",
            *TIMESTAMPS,
        ]

    def get_progress(self, obj) -> dict:
        """Computed from baseline, target and the latest value: never typed in."""
        return ProgressSerializer(obj.progress()).data


class IndicatorValueSerializer(ValidatedModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "period_end", "value", "source", "note", *TIMESTAMPS]
