from core.api.serializers import ValidatedModelSerializer

from .. import services
from ..models import Explorer


class ExplorerSerializer(ValidatedModelSerializer):
    """Status and consent are the ledger's (consent services only); a new address starts a new confirmation."""

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
        read_only_fields = [
            "status",
            "confirmed_at",
            "consent_text_version",
            "consent_given_at",
            "consent_source",
        ]

    def update(self, instance: Explorer, validated_data: dict) -> Explorer:
        email = validated_data.pop("email", None)
        instance = super().update(instance, validated_data)
        if email is not None:
            services.explorer_change_email(explorer=instance, email=email)
            instance.refresh_from_db()
        return instance
