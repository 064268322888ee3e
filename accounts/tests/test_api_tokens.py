"""API tokens: printed once, stored hashed, revocable, optionally expiring; sessions need CSRF."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from conftest import PASSWORD


def create_token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, *args, stdout=out)
    return out.getvalue()


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_create_api_token_prints_the_token_and_nothing_else(world):
    output = create_token("partner-co")
    token = output.strip()
    assert output == token + "\n"
    assert len(token) == 64
    stored = AuthToken.objects.get(user=world.partner_co)
    assert stored.digest != token and token not in stored.digest  # only a hash is kept
    assert stored.expiry is None


def test_partner_token_lists_only_the_colombian_coalitions_of_its_organisation(world):
    client = token_client(create_token("partner-co").strip())
    response = client.get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.co_coalition.pk]


def test_expiring_token_stops_working_after_its_expiry(world):
    token = create_token("partner-co", "--expires-days", "7").strip()
    stored = AuthToken.objects.get(user=world.partner_co)
    assert stored.expiry - timezone.now() > datetime.timedelta(days=6)
    client = token_client(token)
    assert client.get("/api/v1/countries/").status_code == 200
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/countries/").status_code == 401


def test_revoked_token_is_refused(world):
    client = token_client(create_token("staff-co").strip())
    assert client.get("/api/v1/countries/").status_code == 200
    AuthToken.objects.filter(user=world.staff_co).delete()
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_made_up_token_is_refused(world):
    assert token_client("0" * 64).get("/api/v1/countries/").status_code == 401


def test_unknown_user_and_bad_expiry_are_errors(world):
    with pytest.raises(CommandError):
        create_token("nobody")
    with pytest.raises(CommandError):
        create_token("partner-co", "--expires-days", "0")
    assert not AuthToken.objects.exists()


def test_browser_session_writes_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="staff-co", password=PASSWORD)
    body = {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-03", "kind": "call", "title": "Llamada"}
    response = client.post("/api/v1/engagements/", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/v1/engagements/").status_code == 200  # reads need no CSRF token


def test_anonymous_gets_401_everywhere_but_schema_and_docs(client, world):
    assert client.get("/api/v1/coalitions/").status_code == 401
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


def test_a_token_costs_one_query_and_an_expired_one_is_refused_and_deleted(world, django_assert_num_queries):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from core.api.authentication import TokenAuthentication

    token = create_token("staff-co").strip()
    expired = create_token("staff-co", "--expires-days", "7").strip()
    AuthToken.objects.filter(expiry__isnull=False).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}"))
    with django_assert_num_queries(1):  # the token with its user, not every other token of the user
        user, _ = TokenAuthentication().authenticate(request)
    assert user == world.staff_co
    assert token_client(expired).get("/api/v1/countries/").status_code == 401
    assert list(AuthToken.objects.filter(user=world.staff_co).values_list("expiry", flat=True)) == [None]
