"""OpenAPI schema: every error a client can get, in the one error format, on every operation."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`, `not_found`.")
    detail = serializers.CharField(help_text="A human-readable message.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: messages per field (`non_field_errors` for the whole object).",
    )


_DESCRIPTIONS = {
    "400": "Invalid input: bad filters or body, or an id the user cannot see.",
    "401": "Not signed in: no token, or an invalid, expired or revoked one.",
    "403": "Signed in but not allowed (a staff-only list, a row outside the user's countries, missing CSRF).",
    "404": "No such row, or one outside the user's scope (the two look the same).",
    "405": "Method not allowed.",
    "409": "Other rows still refer to this one.",
    "415": "Unsupported media type: send JSON.",
    "429": "Too many requests; retry after the seconds in `Retry-After`.",
}


class ApiAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes += ["400", "415"]
        elif self.method == "GET" and self._is_list_view():
            codes += ["400"]
        if self.method == "DELETE":
            codes += ["409"]
        if "{" in self.path:
            codes += ["404"]
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = _DESCRIPTIONS[code]
                responses[code] = response
        return responses


class ScopedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A related id in a response may be null: the row exists but the user cannot see it."""

    target_class = "core.api.serializers.ScopedPrimaryKeyRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["nullable"] = True
        return schema
