from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.access import is_staff_member
from core.api.permissions import ApiPermission
from core.api.schema import ApiAutoSchema
from core.api.viewsets import ListTables
from core.parsing import ID_PATTERN

from .. import registry, services
from ..filters import AttachmentFilterSet
from ..models import Attachment
from ..serving import file_response
from ..uploads import limit_uploads
from .serializers import AttachmentSerializer, AttachmentUploadSerializer

WHO_CREATES = (
    "program staff on the records of their countries, admins, and partners on the engagements and outcomes "
    "their organisation recorded and the commitments it owns, in its coalitions (any other record is a 403, "
    "one out of sight a 400)"
)


@extend_schema_view(
    create=extend_schema(
        summary="Attach a file to a record",
        description=(
            "A multipart/form-data body (the only one in this API): `target_type` and `target_id` name the "
            "record, `file` is the file. The type is read from the content (PDF, images, office documents, "
            "CSV, text); photos are stored without their metadata (GPS first). A file over the size limit "
            f"is a 400.\n\nWho may call: {WHO_CREATES}."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    ),
)
class AttachmentViewSet(
    ListTables,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Attachment.objects.select_related("target_type")
    serializer_class = AttachmentSerializer
    permission_classes = [ApiPermission]
    parser_classes = [MultiPartParser]
    schema = ApiAutoSchema()
    lookup_value_regex = ID_PATTERN
    filterset_class = AttachmentFilterSet
    ordering_fields = ["id", "created_at"]
    partner_reads = "the files attached to the records they see"
    who_creates = WHO_CREATES

    def initialize_request(self, request, *args, **kwargs):
        # The size limit goes in front of the upload handlers before the body is read.
        self.size_limit = limit_uploads(request)
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        upload = AttachmentUploadSerializer(data=request.data)
        too_large = self.size_limit.too_large
        if too_large:
            raise exceptions.ValidationError(
                {"file": [f"{name}: the file is larger than {self.size_limit.limit} bytes." for name in too_large]}
            )
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        target = self._target(data["target_type"], data["target_id"])
        try:
            created = services.attachments_create(
                target=target, uploads=[data["file"]], kind=data["kind"], title=data["title"], user=request.user
            )
        except ModelValidationError as error:
            raise exceptions.ValidationError({"file": error.messages}) from None
        return Response(self.get_serializer(created[0]).data, status=status.HTTP_201_CREATED)

    def _target(self, label: str, pk: int):
        """The record, if the user may attach files to it; 403 for one they only see, 400 for one out of sight."""
        user = self.request.user
        entry = registry.attachable(label)
        records = entry.model._default_manager
        allowed = records.editable_by(user) if is_staff_member(user) else entry.records_a_partner_may_attach_to(user)
        target = allowed.filter(pk=pk).first()
        if target is not None:
            return target
        if records.visible_to(user).filter(pk=pk).exists():
            raise exceptions.PermissionDenied
        raise exceptions.ValidationError({"target_id": ["No such record."]})

    def perform_destroy(self, instance) -> None:
        services.attachment_delete(attachment=instance, user=self.request.user)

    @extend_schema(
        summary="Download the file",
        description=(
            "The file itself (or, on object storage, a redirect to a short-lived signed URL).\n\n"
            "Who may call: program staff and admins (every file); partners (the files attached to the records "
            "they see). A file outside your scope answers 404."
        ),
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")},
    )
    @action(detail=True)
    def download(self, request, pk=None):
        return file_response(self.get_object())
