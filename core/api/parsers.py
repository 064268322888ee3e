"""JSON bodies with bounds: no larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE, no deeper than
MAX_JSON_DEPTH. Past either, the answer is a 4xx in the API's error format (core.api.exceptions),
not the 500 a RecursionError in the JSON decoder, or a worker reading a gigabyte, would be.
"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

#: Deeper than any resource of this API needs (its deepest body is a list of ids in an object).
MAX_JSON_DEPTH = 20


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def body_limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def json_depth(value) -> int:
    """How deeply `value` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((inner, depth + 1) for inner in item)
    return deepest


def read_bounded(stream, parser_context: dict | None) -> bytes:
    """The body, refused before it is read when it declares a length past the limit, and after
    reading one byte past the limit when it does not tell."""
    limit = body_limit()
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if limit is not None and declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    raw = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(raw) > limit:
        raise BodyTooLarge
    return raw


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_bounded(stream, parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(_("JSON nested too deeply.")) from None
        except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("JSON nested too deeply: at most %(depth)d levels.") % {"depth": MAX_JSON_DEPTH}
            )
        return data


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON (DRF's STRICT_JSON refuses them too)."""
    raise ValueError(f"{name} is not valid JSON")
