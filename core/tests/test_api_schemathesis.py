"""Property-based tests of the live schema, in process: no 500s, no answer that breaks the schema.

`make test` runs a few examples per operation; `make fuzz` sets API_FUZZ_EXAMPLES much higher.
Each example is sent with a partner token and a staff token.
"""

import functools
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from config.wsgi import application

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))
#: The coverage phase sends hundreds of boundary cases per operation: only under `make fuzz`.
COVERAGE = os.environ.get("API_FUZZ_COVERAGE") == "1"
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "mode": "all"},
        "phases": {"coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@functools.cache
def raw_schema() -> dict:
    """The schema the server serves, generated once per run (generation takes a second or two)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def api_schema(world):
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(raw_schema(), default=str)), config=CONFIG)
    loaded.app = application  # requests go in process to the WSGI app, as from_wsgi would
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL that would end the test's transaction mid-test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schema_served_is_the_schema_tested(client):
    served = client.get("/api/v1/schema/?format=json").json()
    assert served == json.loads(json.dumps(raw_schema(), default=str))


@pytest.fixture
def tokens(world) -> dict[str, str]:
    return {name: api_token_create(user=getattr(world, name))[1] for name in ("partner_co", "staff_co")}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis directory in the project (it would upset collection)
    derandomize=os.environ.get("API_FUZZ_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_within_its_schema(case, tokens):
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
