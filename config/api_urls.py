"""The partner REST API, version 1: one router per app, the OpenAPI schema and the docs."""

from django.urls import include, path, re_path
from rest_framework.permissions import AllowAny

from core.api.views import DocsView, PartnerSchemaView, SchemaView, not_found

app_name = "api"
urlpatterns = [
    path("", include("countries.api.urls")),
    path("", include("attachments.api.urls")),
    path("", include("stakeholders.api.urls")),
    path("", include("coalitions.api.urls")),
    path("", include("planning.api.urls")),
    path("", include("results.api.urls")),
    path("", include("explorers_network.api.urls")),
    path("", include("trends.api.urls")),
    path("schema/", SchemaView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("schema/partner/", PartnerSchemaView.as_view(), name="schema-partner"),
    # The split view serves Swagger UI's start-up code as a script file, so the strict CSP holds.
    path("docs/", DocsView.as_view(), name="docs"),
    path("docs/partner/", DocsView.as_view(partner=True), name="docs-partner"),
    re_path(r"^", not_found, name="not_found"),  # last: unknown paths answer JSON
]
