"""A JSON body is bounded in size and depth: past either, a 4xx in the API's error format."""

import json

import pytest

from core.api.parsers import MAX_JSON_DEPTH

URL = "/api/v1/engagements/"


def nested(depth: int) -> str:
    return '{"title": ' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 200_000])
def test_json_nested_too_deeply_is_a_400_in_the_api_format(staff_api, depth):
    response = staff_api.generic("POST", URL, nested(depth), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "parse_error"
    assert "nested too deeply" in body["detail"]


def test_json_at_the_depth_limit_is_read_and_validated(staff_api):
    response = staff_api.generic("POST", URL, nested(MAX_JSON_DEPTH), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # the serializer's answer: the body was parsed


def test_a_body_past_the_upload_limit_is_a_413_in_the_api_format(staff_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    response = staff_api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"status": 413, "code": "too_large", "detail": "The request body is too large."}


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_that_is_not_json_is_a_415_in_the_api_format(staff_api, content_type):
    response = staff_api.generic("POST", URL, "title=" + "x" * 2000, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["status"] == 415


@pytest.mark.parametrize("body", ["[NaN]", '{"title": Infinity}', b'{"title": "\xff\xfe"}', "{", "\x00"])
def test_malformed_json_is_a_400_in_the_api_format(staff_api, body):
    response = staff_api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_body_within_the_limits_is_written(staff_api, world):
    payload = {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-03", "kind": "call", "title": "Llamada"}
    assert staff_api.post(URL, payload, format="json").status_code == 201
