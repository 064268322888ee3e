"""API views that are not viewsets."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: a 404 in the API's JSON error format, not Django's HTML page."""
    raise NotFound


#: The schema of the operations a partner may call: the full schema less the rest (core.api.schema).
PARTNER_SCHEMA_SETTINGS = {
    "PREPROCESSING_HOOKS": ["core.api.schema.partner_operations_only"],
    "DESCRIPTION": "The operations a program partner may call with a partner token.",
}


class PartnerSchemaView(SpectacularAPIView):
    custom_settings = PARTNER_SCHEMA_SETTINGS
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI: a signed-in partner (and `docs/partner/`) sees the partner schema, anyone else the full one."""

    permission_classes = [AllowAny]
    template_name = "core/api/swagger_ui.html"
    partner = False

    def _get_schema_url(self, request):
        user = getattr(request, "user", None)
        if self.partner or getattr(user, "is_partner", False):
            self.url_name = "api:schema-partner"
        else:
            self.url_name = "api:schema"
        return super()._get_schema_url(request)
