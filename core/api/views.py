"""API views that are not viewsets: the catch-all 404 and the cached schema."""

import functools
import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from core.versions import code_version


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: a 404 in the API's JSON error format, not Django's HTML page."""
    raise NotFound


def schema_version() -> str:
    """What the schema is built from: the code and catalogues of the project, the libraries that
    read them and their settings. Hashed once per process (the first schema request)."""
    return _schema_version()


@functools.cache
def _schema_version() -> str:
    digest = hashlib.sha256(code_version().encode())
    digest.update(repr((settings.SPECTACULAR_SETTINGS, settings.REST_FRAMEWORK, settings.LANGUAGES)).encode())
    return digest.hexdigest()[:16]


SCHEMA_CACHE_SECONDS = 30 * 24 * 3600
_building = threading.Lock()


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, built once per deploy and kept in the shared cache.

    Building it walks every endpoint and serializer (a few hundred milliseconds of CPU); an
    anonymous client may ask for it, so it must cost no more than a normal request. It is kept
    per code version (`schema_version`), language and format, and those are the only things
    taken from the request: an unknown `lang` reads as the request's language and `version` is
    ignored (the API is versioned in its path), so no query string makes a new one to build.
    """

    variant = "full"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        renderer = request.accepted_renderer
        key = f"api-schema:{self.variant}:{schema_version()}:{language}:{renderer.media_type}"
        cached = cache.get(key)
        if cached is None:
            with _building:  # a burst right after a deploy builds it once per process, not once per request
                cached = cache.get(key)
                if cached is None:
                    cached = self._build(request, language, renderer)
                    cache.set(key, cached, SCHEMA_CACHE_SECONDS)
        body, content_type, filename = cached
        return HttpResponse(body, content_type=content_type, headers={"Content-Disposition": filename})

    def _build(self, request, language: str, renderer) -> tuple[bytes, str, str]:
        with translation.override(language), patched_settings(self.custom_settings):
            generator = self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns)
            data = generator.get_schema(request=request, public=self.serve_public)
            body = renderer.render(data, renderer.media_type, self.get_renderer_context())
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        return body, f"{renderer.media_type}{charset}", f'inline; filename="{self._get_filename(request, None)}"'


#: The schema of the operations a partner may call: the full schema less the rest (core.api.schema).
PARTNER_SCHEMA_SETTINGS = {
    "PREPROCESSING_HOOKS": ["core.api.schema.partner_operations_only"],
    "DESCRIPTION": "The operations a program partner may call with a partner token.",
}


class PartnerSchemaView(SchemaView):
    """The same schema less what a partner cannot call, cached beside the full one."""

    variant = "partner"
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
