"""The OpenAPI schema is built once per code version, language and format: asking again builds nothing."""

from unittest import mock

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api import views

URL = "/api/v1/schema/"


@pytest.fixture
def builds():
    """Every call of the schema generator, which is where the expensive work is."""
    with mock.patch.object(SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema) as spy:
        yield spy


def test_the_second_request_builds_nothing_and_gets_the_same_schema(client, builds):
    first = client.get(URL, {"format": "json"})
    second = client.get(URL, {"format": "json"})
    assert builds.call_count == 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["Content-Type"] == second["Content-Type"] == "application/vnd.oai.openapi+json"
    assert "Local Coalitions API" in second.json()["info"]["title"]


def test_query_strings_cannot_make_new_schemas_to_build(client, builds):
    client.get(URL)
    for query in ({"lang": "xx"}, {"lang": "x" * 500}, {"version": "v9"}, {"version": "1", "lang": "zz"}, {"q": "1"}):
        assert client.get(URL, query).status_code == 200
    assert builds.call_count == 1


def test_each_language_and_format_is_built_once(client, builds):
    for _ in range(2):
        client.get(URL, {"lang": "es", "format": "json"})
        client.get(URL, {"lang": "en", "format": "json"})
        client.get(URL, {"lang": "es"})  # YAML
    assert builds.call_count == 3
    spanish = client.get(URL, {"lang": "es", "format": "json"}).json()
    english = client.get(URL, {"lang": "en", "format": "json"}).json()
    assert spanish != english  # the translated descriptions, not one copy served for both


def test_a_new_code_version_builds_it_again(client, builds, monkeypatch):
    client.get(URL)
    monkeypatch.setattr(views, "schema_version", lambda: "next-deploy")
    client.get(URL)
    client.get(URL)
    assert builds.call_count == 2


def test_the_schema_does_not_list_itself(client):
    assert not any("schema" in path for path in client.get(URL, {"format": "json"}).json()["paths"])


def test_the_code_version_changes_with_the_settings_and_not_between_calls(settings):
    assert views.schema_version() == views.schema_version()
    views._schema_version.cache_clear()
    before = views.schema_version()
    settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS, "VERSION": "2.0.0"}
    views._schema_version.cache_clear()
    assert views.schema_version() != before
    views._schema_version.cache_clear()
