from django.urls import reverse
from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer

from .. import registry
from ..models import Attachment


class AttachmentSerializer(ValidatedModelSerializer):
    target_type = serializers.SerializerMethodField(
        help_text="The kind of record, as app.model (coalitions.engagement)."
    )
    download = serializers.SerializerMethodField(help_text="The file, for whoever may see the record.")
    # The id only, read from the row's own column (no query per row).
    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The user who uploaded it.")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "target_type",
            "target_id",
            "title",
            "kind",
            "original_name",
            "mime_type",
            "size",
            "uploaded_by",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    def get_target_type(self, obj: Attachment) -> str:
        return f"{obj.target_type.app_label}.{obj.target_type.model}"

    def get_download(self, obj: Attachment) -> str:
        return reverse("api:attachment-download", kwargs={"pk": obj.pk})


class AttachmentUploadSerializer(serializers.Serializer):
    """The multipart body of a new attachment: the record, the file and how to name it."""

    target_type = serializers.ChoiceField(
        choices=[], help_text="The kind of record: coalitions.engagement, coalitions.commitment, coalitions.outcome…"
    )
    target_id = serializers.IntegerField(min_value=1, help_text="The record's id.")
    file = serializers.FileField(help_text="The file (PDF, image, office document, CSV or text).")
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.OTHER)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = sorted(entry.label.lower() for entry in registry.attachables())
