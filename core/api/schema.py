"""OpenAPI schema: every operation described for the people who call it, every error a client can get
in the one error format, and a shape that generated clients can use (one schema per value).
"""

from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from drf_spectacular.drainage import get_override
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from ..access import (
    CREATE,
    PARTNER_MAY_CREATE,
    PARTNER_MAY_UPDATE,
    READ,
    REFERENCE_DATA,
    STAFF_ONLY,
    UPDATE,
    may_attempt,
)
from .permissions import action_of, resource_of
from .renderers import CSVRenderer, XLSXRenderer


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


# What each operation says to the people who call it. Written from the viewset's own metadata (its
# model, filters, ordering fields, the rules in core.access), so it cannot drift from what
# the operation does, and never from a docstring, which is written for the project's developers.


def _model_of(view):
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


def _is_relation(model, path: str) -> bool:
    """Whether a filter path ends on rows of another table (`coalition`, `initiative__country`): its value is an id."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not field.is_relation:
            return False
        model = field.related_model
    return True


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text else ""


def resource_text(view) -> str:
    """What a row of this resource is: the model's one-line docstring (written about the domain)."""
    model = _model_of(view)
    return _first_line(model.__doc__) if model is not None else ""


def who_may_call(view, action: str) -> str:
    """Who may call this operation, in the words of core.access' write rules."""
    resource = resource_of(view)
    partner_reads = getattr(view, "partner_reads", "")
    if resource in STAFF_ONLY:
        return "Who may call: program staff and admins only. A partner gets 403 on a list, 404 on a row."
    if action == READ:
        return (
            "Who may call: program staff and admins (every row); partners "
            f"({partner_reads or 'no rows'}). A row outside your scope answers 404."
        )
    if resource in REFERENCE_DATA:
        return "Who may call: admins only (reference data: everyone who may read reads it; a staff token gets 403)."
    if action == CREATE and getattr(view, "who_creates", ""):
        return f"Who may call: {view.who_creates}."
    if action == CREATE and resource in PARTNER_MAY_CREATE:
        return (
            "Who may call: program staff (in their countries), admins, and partners in a coalition in which "
            "their organisation is a member (naming any other coalition is a 400)."
        )
    if action == UPDATE and resource in PARTNER_MAY_UPDATE:
        fields = ", ".join(f"`{name}`" for name in sorted(PARTNER_MAY_UPDATE[resource]))
        return (
            "Who may call: program staff (rows of their countries), admins, and partners for rows their "
            f"organisation owns, changing only {fields} (any other field is a 400; use PATCH)."
        )
    return "Who may call: program staff (rows of their countries; a change must keep the row there) and admins."


_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {a_name}",
    "retrieve": "Read {a_name}",
    "update": "Replace {a_name}",
    "partial_update": "Change some fields of {a_name}",
    "destroy": "Delete {a_name}",
}

_RETURNS = {
    "list": (
        "Returns a page of the {plural} you may see: `count`, `next`, `previous` and `results` "
        "(`?page=`, `?page_size=` up to 200; `?mode=cursor` to sync, without a count)."
    ),
    "create": "Send the new {name} as JSON; returns it as stored (201), with its `id`.",
    "retrieve": "Returns {a_name} by its `id`.",
    "update": "Send every writable field as JSON; returns the {name} as stored.",
    "partial_update": "Send only the fields to change, as JSON: an empty string clears a text field, null "
    "a field the schema marks nullable. Returns the {name} as stored.",
    "destroy": "Deletes the {name} (204); one that other rows still refer to answers 409.",
}


_TABLE_TYPES = {CSVRenderer.media_type, XLSXRenderer.media_type}


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
        for response in responses.values():
            for media_type, body in response.get("content", {}).items():
                if media_type in _TABLE_TYPES:  # `?format=csv|xlsx`: a file, every row (core.api.renderers)
                    body["schema"] = {"type": "string", "format": "binary"}
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = _DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _names(self) -> dict[str, str]:
        model = _model_of(self.view)
        name, plural = ("row", "rows") if model is None else (model._meta.verbose_name, model._meta.verbose_name_plural)
        with translation.override("en"):  # the schema's text is English, whatever the request's language
            name, plural = str(name), str(plural)
        return {"name": name, "a_name": f"{'an' if name[0] in 'aeiou' else 'a'} {name}", "plural": plural}

    def _action(self) -> str:
        action = getattr(self.view, "action", None)
        if action == "list" and not self._is_list_view():
            action = None
        return action or self.method.lower()

    def get_summary(self) -> str:
        template = _SUMMARIES.get(self._action())
        if template is None:  # an extra action states its own (extend_schema(summary=...))
            return ""
        return template.format(**self._names()).capitalize()

    def get_description(self) -> str:
        action = self._action()
        names = self._names()
        parts = [resource_text(self.view)]
        if action in _RETURNS:
            parts.append(_RETURNS[action].format(**names))
        if action == "list":
            parts.append(self._filters_text())
        parts.append(who_may_call(self.view, action_of(self.method)))
        return "\n\n".join(part for part in parts if part)

    def _filters_text(self) -> str:
        names = sorted(p["name"] for p in self._get_filter_parameters() if p["name"] != "ordering")
        ordering = ", ".join(f"`{field}`" for field in getattr(self.view, "ordering_fields", ()))
        text = "Filters (query parameters, each described below): " + ", ".join(f"`{name}`" for name in names) + "."
        text += f" Sort with `?ordering=` by {ordering} (`-` before a field for descending)."
        text += " An unknown filter value or ordering is a 400."
        return text + (
            " The whole list as a file: `format` (`csv` in UTF-8 with a byte-order mark, or `xlsx`); "
            "`separator` `;` for a CSV that Excel with Spanish settings opens."
        )

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = (
                "`csv` or `xlsx` for every row of the filters as one file (no pages), in the JSON's columns "
                "(a nested object as `name.field`, a list as one cell with `; ` between items); `json` by default."
            )
        return parameters

    def _resolve_path_parameters(self, variables):
        """The row's id in the path: an integer (its `lookup_value_regex` only makes other text a 404)."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] in ("id", "pk"):
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
                parameter.setdefault("description", "The row's id, as in its `id` field.")
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            name = parameter["name"]
            filter_ = filters.get(name) or filters.get(name.rpartition("_")[0])
            label = str(filter_.label) if filter_ is not None and filter_.label else ""
            if parameter.get("description", "") in ("", label):
                # No help text: say what the value means, from the filter's name and type.
                explained = self._parameter_description(parameter, filter_)
                parameter["description"] = f"{label}. {explained}" if label else explained
        return parameters

    def _parameter_description(self, parameter: dict, filter_) -> str:
        name, schema = parameter["name"], parameter.get("schema", {})
        if name == "q":
            fields = getattr(getattr(self.view, "filterset_class", None), "search_fields", ())
            searched = ", ".join(f"`{field.lstrip('=').replace('__', '.')}`" for field in fields)
            return (
                f"Free text: rows where every word is found in one of {searched}, in any order, case and "
                "accents aside (core.search); best matches first."
            )
        if name == "updated_since":
            return "Only rows changed at or after this moment (ISO 8601, e.g. 2026-01-31T00:00:00Z): for syncing."
        for suffix, words in (("_after", "on or after this date"), ("_before", "on or before this date")):
            if name.endswith(suffix):
                return f"Only rows whose `{name.removesuffix(suffix)}` is {words} (YYYY-MM-DD)."
        for suffix, words in (("_min", "at least"), ("_max", "at most")):
            if name.endswith(suffix):
                return f"Only rows whose `{name.removesuffix(suffix)}` is {words} this."
        kind = schema.get("type")
        if kind == "boolean":
            return "`true` or `false`."
        model = _model_of(self.view)
        field_name = getattr(filter_, "field_name", name) or name
        relation = model is not None and _is_relation(model, field_name)
        if kind == "array":
            value = "ids" if relation else "values"
            return f"One or more {value} (repeat the parameter: `?{name}=1&{name}=2`): rows matching any."
        if relation:
            return f"An id: only rows linked to that {name} (one you cannot see is a 400, as one that does not exist)."
        return f"Only rows whose `{name}` is this value."

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A component says what its rows are (the model's one-line docstring), not how the
        # serializer class works.
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None and get_override(serializer, "description", None) is None:
            schema["description"] = _first_line(model.__doc__)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # drf-spectacular describes a blank-able link or address as "a link, or an empty string"
        # (oneOf), but an empty string also passes the link's schema where a validator does not check
        # formats, so it matched both and strict clients refused it. A link is never empty: now each
        # value matches exactly one of the two.
        alternatives = schema.get("oneOf")
        if alternatives and len(alternatives) == 2 and alternatives[1] == {"type": "string", "maxLength": 0}:
            alternatives[0].setdefault("minLength", 1)


def postprocess_blank_choices(result, generator, request, public):
    """A blank-able choice as one enum of its own (`CountryOrBlankEnum`: the choices and ""), not oneOf BlankEnum.

    Runs after drf-spectacular's enum hook, which splits "" into a shared `BlankEnum`; generated
    clients then get a union type named after nothing. Here the field gets one named enum.
    """
    schemas = result.get("components", {}).get("schemas", {})
    blank_ref = "#/components/schemas/BlankEnum"
    replaced = set()
    for component in list(schemas.values()):
        for name, prop in component.get("properties", {}).items():
            refs = [item.get("$ref") for item in prop.get("oneOf", ())]
            if len(refs) != 2 or refs[1] != blank_ref or not refs[0]:
                continue
            base = refs[0].rsplit("/", 1)[1]
            combined = base.removesuffix("Enum") + "OrBlankEnum"
            replaced.add(base)
            if combined not in schemas:
                enum = schemas[base]
                schemas[combined] = {
                    **enum,
                    "enum": [*enum["enum"], ""],
                    "description": enum.get("description", "") + "\n* `` - (none)",
                }
            rest = {key: value for key, value in prop.items() if key != "oneOf"}
            component["properties"][name] = (
                {"$ref": f"#/components/schemas/{combined}"}
                if not rest
                else {
                    **rest,
                    "allOf": [{"$ref": f"#/components/schemas/{combined}"}],
                }
            )
    text = str(result)
    for name in {"BlankEnum", *replaced}:
        if name in schemas and f"#/components/schemas/{name}'" not in text:
            del schemas[name]  # every use was folded into a combined enum
    return result


#: Who a partner is, to the rules: what the partner docs list is what these rules let a partner attempt.
_PARTNER = SimpleNamespace(
    is_authenticated=True, is_active=True, is_admin=False, is_program_staff=False, is_partner=True
)


def partner_operations_only(endpoints, **kwargs):
    """The operations a partner may call (a preprocessing hook of the partner schema view).

    Read from the same rules the API enforces (`may_attempt`); a full replacement (PUT) is left out
    where partners may change only some fields, since only PATCH can succeed for them.
    """
    kept = []
    for path, path_regex, method, callback in endpoints:
        actions = getattr(callback, "actions", None) or {}
        basename = (getattr(callback, "initkwargs", None) or {}).get("basename")
        if basename is None:
            continue
        view = SimpleNamespace(basename=basename, action=actions.get(method.lower(), ""))
        resource = resource_of(view)
        action = action_of(method)
        if not may_attempt(_PARTNER, resource, action):
            continue
        if method == "PUT" and resource in PARTNER_MAY_UPDATE:
            continue
        kept.append((path, path_regex, method, callback))
    return kept


class ScopedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A related id in a response may be null: the row exists but the user cannot see it."""

    target_class = "core.api.serializers.ScopedPrimaryKeyRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["nullable"] = True
        return schema
