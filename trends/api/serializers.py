from core.api.serializers import ValidatedModelSerializer

from ..models import NetworkSnapshot


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
