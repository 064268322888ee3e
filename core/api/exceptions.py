"""One JSON shape for every API error, and bad input turned into a 4xx rather than a 500.

    {"status": 400, "code": "invalid", "detail": "Invalid input.",
     "errors": {"field": ["message", ...], "non_field_errors": [...]}}

`errors` is present only for validation errors (400), one list of messages per field.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records still refer to this one, so it cannot be deleted.")
    default_code = "conflict"


def _translate(exc: Exception) -> Exception:
    """Database and Django errors that are the client's fault, as DRF exceptions."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        # A form or multipart body past Django's DATA_UPLOAD_MAX_* limits (JSON: core.api.parsers).
        from .parsers import BodyTooLarge

        return BodyTooLarge()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict()
    if isinstance(exc, OverflowError):
        # SQLite refuses integers beyond 64 bits before running the query (an id filter of 10**30).
        return exceptions.ValidationError({"non_field_errors": [_("A number in the request is too large.")]})
    if isinstance(exc, IntegrityError | DataError):
        # Serializers check constraints first; this is the race between two writers.
        return exceptions.ValidationError({"non_field_errors": [_("This change conflicts with existing records.")]})
    return exc


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value) -> list[str]:
    if isinstance(value, list):
        messages: list[str] = []
        for item in value:
            messages.extend(_messages(item))
        return messages
    if isinstance(value, dict):
        # A nested object or list item: keep the path so the client can find the field.
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    return [str(value)]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500
    body: dict = {"status": response.status_code, "code": "error", "detail": ""}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = str(_("Invalid input."))
        body["errors"] = _flatten(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else exc.default_code
        body["detail"] = str(exc.detail)
    response.data = body
    return response
