"""The API docs speak to the people who call the API, the partner docs list what a partner can call,
and a filter or ordering value the API does not know is a 400, on every list the routers serve."""

import functools
import inspect
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from .api_resources import ROUTERS, routes
from .test_api_permission_matrix import MATRIX, PERSONAS

#: Pagination parameters are the paginator's, not filters.
_PAGING = {"page", "page_size", "cursor", "mode"}


@functools.cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document: dict):
    for path, items in document["paths"].items():
        for method, operation in items.items():
            yield path, method, operation


def developer_docstrings() -> set[str]:
    """Every docstring line of the viewsets, their bases and their methods: none may reach the docs."""
    lines = set()
    for router in ROUTERS:
        for _prefix, viewset, _basename in router.registry:
            for cls in inspect.getmro(viewset):
                for item in (cls, *vars(cls).values()):
                    doc = getattr(item, "__doc__", None) if callable(item) or item is cls else None
                    lines |= {line.strip() for line in (doc or "").splitlines() if len(line.strip()) > 20}
    return lines


def test_every_operation_has_a_summary_and_a_description_for_integrators():
    docstrings = developer_docstrings()
    assert docstrings  # the check below compares against something
    for path, method, operation in operations(schema()):
        where = (method, path)
        assert operation.get("summary"), where
        description = operation.get("description", "")
        assert "Who may call:" in description, where
        assert not [line for line in docstrings if line in description], where
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (*where, parameter["name"])
    for name, component in schema()["components"]["schemas"].items():
        assert not [line for line in docstrings if line in component.get("description", "")], name


def test_list_descriptions_name_their_filters_and_orderings():
    for path, _method, operation in operations(schema()):
        ordering = [p for p in operation.get("parameters", []) if p["name"] == "ordering"]
        if not ordering:
            continue
        for parameter in operation["parameters"]:
            if parameter["in"] == "query" and parameter["name"] not in {"ordering", *_PAGING}:
                assert f"`{parameter['name']}`" in operation["description"], (path, parameter["name"])
        for term in ordering[0]["schema"]["enum"]:
            assert f"`{term.lstrip('-')}`" in operation["description"], (path, term)


def _uploads_a_file(body: dict) -> bool:
    components = schema()["components"]["schemas"]
    for content in body["content"].values():
        ref = content["schema"].get("$ref", "")
        fields = components[ref.rsplit("/", 1)[-1]]["properties"] if ref else content["schema"].get("properties", {})
        if any(field.get("format") == "binary" for field in fields.values()):
            return True
    return False


def test_request_bodies_are_json_and_the_token_header_is_stated():
    """JSON everywhere; multipart (alone) only where a file is uploaded."""
    for path, method, operation in operations(schema()):
        if "requestBody" in operation:
            body = operation["requestBody"]
            expected = ["multipart/form-data"] if _uploads_a_file(body) else ["application/json"]
            assert list(body["content"]) == expected, (method, path)
    scheme = schema()["components"]["securitySchemes"]["knoxApiToken"]
    assert scheme["in"] == "header" and scheme["name"] == "Authorization"
    assert "Authorization: Token <your token>" in scheme["description"]


def test_blank_able_values_match_exactly_one_schema():
    components = schema()["components"]["schemas"]
    assert "BlankEnum" not in components and not [name for name in components if name.startswith("Enum")]
    for name, component in components.items():
        for field, prop in component.get("properties", {}).items():
            alternatives = prop.get("oneOf", [])
            if {"type": "string", "maxLength": 0} in alternatives:
                others = [alternative for alternative in alternatives if alternative.get("maxLength") != 0]
                assert all(other.get("minLength", 0) >= 1 for other in others), (name, field)


# --- The partner docs -------------------------------------------------------------------------

_ACTION_METHODS = {
    "list": ("get", False),
    "create": ("post", False),
    "retrieve": ("get", True),
    "update": ("put", True),
    "partial_update": ("patch", True),
    "destroy": ("delete", True),
}


def _route_operation(prefix: str, basename: str, action: str) -> tuple[str, str]:
    viewset = next(viewset for router in ROUTERS for p, viewset, b in router.registry if b == basename)
    if action in _ACTION_METHODS:
        method, detail = _ACTION_METHODS[action]
        return method, f"/api/v1/{prefix}/{{id}}/" if detail else f"/api/v1/{prefix}/"
    extra = getattr(viewset, action)
    method = sorted(extra.mapping)[0]
    base = f"/api/v1/{prefix}/{{id}}/" if extra.detail else f"/api/v1/{prefix}/"
    return method, f"{base}{extra.url_path}/"


def test_partner_docs_list_exactly_the_operations_a_partner_can_succeed_with(client):
    # From the permission matrix (what the API answers), not from the rules the docs are built from:
    # an operation is a partner's when partner-co or partner-pe can get a 2xx from it, and reading one
    # row (or its roll-up of figures) is when listing them is (the matrix's row of initiatives is
    # one no partner may see).
    partners = [PERSONAS.index("partner_co"), PERSONAS.index("partner_pe")]
    expected = set()
    for prefix, basename, action in routes():
        row = MATRIX[basename]
        codes = row["list" if action == "retrieve" or (action == "rollup" and "list" in row) else action].split()
        if any(codes[column].startswith("2") for column in partners):
            expected.add(_route_operation(prefix, basename, action))
    partner_schema = client.get("/api/v1/schema/partner/?format=json").json()
    listed = {(method, path) for path, method, _operation in operations(partner_schema)}
    assert listed == expected
    assert listed < {(method, path) for path, method, _operation in operations(schema())}


@pytest.mark.django_db
def test_docs_page_of_a_signed_in_partner_loads_the_partner_schema(client, world):
    assert "/api/v1/schema/partner/" not in client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/partner/" in client.get("/api/v1/docs/partner/?script=").content.decode()
    client.force_login(world.partner_co)
    assert "/api/v1/schema/partner/" in client.get("/api/v1/docs/?script=").content.decode()
    client.force_login(world.staff_co)
    assert "/api/v1/schema/partner/" not in client.get("/api/v1/docs/?script=").content.decode()


# --- Unknown filter values and orderings --------------------------------------------------------


def _takes_any_text(schema_: dict) -> bool:
    return schema_.get("type") == "string" and "enum" not in schema_ and "format" not in schema_


LIST_PATHS = sorted(
    _route_operation(prefix, basename, "list")[1] for prefix, basename, action in routes() if action == "list"
)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_unknown_ordering_and_filter_values_are_a_400_in_the_error_format(world, path):
    api = APIClient()
    api.force_authenticate(world.admin)
    operation = schema()["paths"][path]["get"]
    checked = []
    for parameter in operation["parameters"]:
        name = parameter["name"]
        if parameter["in"] != "query" or name in _PAGING or _takes_any_text(parameter["schema"]):
            continue
        response = api.get(path, {name: "no-such-value"})
        assert response.status_code == 400, (path, name, response.status_code)
        body = response.json()
        # A range's two parameters (`due_on_after`) report under the filter's name (`due_on`).
        assert body["code"] == "invalid" and {name, name.rpartition("_")[0]} & set(body["errors"]), (path, name, body)
        checked.append(name)
    assert "ordering" in checked
    assert api.get(path, {"ordering": "-id"}).status_code == 200  # a known one still sorts


# --- docs/api.md and the interactive docs agree ------------------------------------------------


def test_the_guide_lists_every_resource_and_only_those_the_schema_serves():
    from django.conf import settings

    guide = (settings.BASE_DIR / "docs" / "api.md").read_text()
    table = guide.split("## Resources", 1)[1].split("\n## ", 1)[0]
    written = set(re.findall(r"`([a-z-]+/(?:\{id\}/[a-z-]+/)?)`", table))
    # A list's path stands for its rows' paths too (`coalitions/` and `coalitions/{id}/`).
    served = {path.removeprefix("/api/v1/") for path in schema()["paths"] if not path.endswith("/{id}/")}
    assert written == served, written ^ served
