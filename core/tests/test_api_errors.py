"""Bad input is a 4xx in the one JSON error format, never a 500 and never a half-written row."""

import pytest
from django.test import Client

from coalitions.models import Engagement


@pytest.fixture
def token_header(world) -> dict:
    from accounts.services import api_token_create

    _, token = api_token_create(user=world.staff_co)
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_validation_errors_are_listed_per_field(staff_api, world):
    response = staff_api.post(
        "/api/v1/engagements/",
        {"coalition": world.co_coalition.pk, "occurred_on": "yesterday", "kind": "party", "title": ""},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert set(body["errors"]) == {"occurred_on", "kind", "title"}
    assert all(isinstance(message, str) for messages in body["errors"].values() for message in messages)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Nul\x00byte"},
        {"coalition": "three"},
        {"coalition": True},
        {"coalition": 10**30},
        {"participants": [10**30]},
        {"participants": "not a list"},
        {"kind": ["workshop"]},
        {"occurred_on": "99999-01-01"},
        {"follow_up_on": 12},
    ],
)
def test_bad_values_are_400_and_write_nothing(staff_api, world, change):
    body = {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-03", "kind": "call", "title": "Llamada"}
    before = Engagement.objects.count()
    response = staff_api.post("/api/v1/engagements/", {**body, **change}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert Engagement.objects.count() == before


def test_huge_scores_are_400(staff_api, world):
    body = {
        "stakeholder": world.co_org.pk,
        "initiative": world.co_initiative.pk,
        "assessed_on": "2026-03-01",
        "power": 10**20,
        "capabilities": 3,
        "interest": 3,
    }
    response = staff_api.post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 400
    assert "power" in response.json()["errors"]


def test_database_constraints_answer_400_with_their_message(staff_api, world):
    body = {"coalition": world.co_coalition.pk, "stakeholder": world.co_org.pk, "joined_on": "2026-02-01"}
    response = staff_api.post("/api/v1/memberships/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["This stakeholder is already a member of this coalition."]


def test_invalid_json_and_invalid_utf8_are_400(world, token_header):
    client = Client()
    for raw in (b"{not json", b'{"title": "\xff\xfe"}'):
        response = client.post("/api/v1/engagements/", raw, content_type="application/json", **token_header)
        assert response.status_code == 400
        assert response.json()["code"] == "parse_error"


def test_a_list_body_is_400(staff_api):
    response = staff_api.post("/api/v1/engagements/", [1, 2], format="json")
    assert response.status_code == 400


def test_bad_query_parameters_are_400(staff_api, world):
    for query in (
        "occurred_on_after=notadate",
        "kind=party",
        "coalition=abc",
        "updated_since=\x00",
        "q=%00",
        "page=999",
        "page=abc",
        "cursor=garbage",
    ):
        response = staff_api.get(f"/api/v1/engagements/?{query}")
        assert response.status_code == 400, query
        assert response.json()["status"] == 400


def test_huge_ids_in_filters_and_paths_are_not_errors_of_the_server(staff_api):
    assert staff_api.get(f"/api/v1/engagements/?coalition={10**30}").status_code in {200, 400}
    assert staff_api.get(f"/api/v1/explorers/?interests={10**30}").status_code == 400
    assert staff_api.get(f"/api/v1/engagements/{10**30}/").status_code == 404
    assert staff_api.get("/api/v1/engagements/abc/").status_code == 404


def test_unknown_api_path_answers_json_404(staff_api, client):
    for response in (staff_api.get("/api/v1/nothing-here/"), client.get("/api/v1/engagements/1.5/")):
        assert response.status_code == 404
        assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_deleting_a_row_others_depend_on_is_409(staff_api, world):
    response = staff_api.delete(f"/api/v1/initiatives/{world.co_initiative.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_staff_cannot_move_a_row_into_another_country(staff_api, world):
    response = staff_api.patch(f"/api/v1/stakeholders/{world.co_org.pk}/", {"country": world.pe.pk}, format="json")
    assert response.status_code == 403
    world.co_org.refresh_from_db()
    assert world.co_org.country == world.co
