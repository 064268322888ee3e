from core.api.serializers import ValidatedModelSerializer

from ..models import Explorer


class ExplorerSerializer(ValidatedModelSerializer):
    class Meta:
        model = Explorer
        fields = [
            "id",
            "name",
            "email",
            "country",
            "organisation",
            "role",
            "interests",
            "preferred_language",
            "status",
            "confirmed_at",
            "consent_text_version",
            "consent_given_at",
            "consent_source",
            "created_at",
            "updated_at",
        ]
