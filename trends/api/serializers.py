from core.api.serializers import ValidatedModelSerializer

from ..models import CoalitionHealthSnapshot, NetworkSnapshot


class NetworkSnapshotSerializer(ValidatedModelSerializer):
    class Meta:
        model = NetworkSnapshot
        fields = [
            "id",
            "country",
            "initiative",
            "period",
            "actors",
            "ties",
            "connected",
            "density",
            "components",
            "central",
            "connected_ids",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CoalitionHealthSnapshotSerializer(ValidatedModelSerializer):
    class Meta:
        model = CoalitionHealthSnapshot
        fields = [
            "id",
            "coalition",
            "period",
            "as_of",
            "members_active",
            "sectors_represented",
            "engagements_last_90_days",
            "commitments_done",
            "commitments_overdue",
            "commitments_open",
            "last_met_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
