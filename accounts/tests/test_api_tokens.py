"""API tokens: made by the service (pages and `create_api_token`), printed once, stored hashed,
expiring, revocable, their last use kept without a write per request; sessions need CSRF."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts import services
from accounts.models import ApiToken
from conftest import PASSWORD
from core.api.authentication import LAST_USE_PRECISION, TokenAuthentication
from core.models import ObjectChange


def create_token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, *args, stdout=out)
    return out.getvalue()


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def authenticate(secret: str):
    return TokenAuthentication().authenticate(
        Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {secret}"))
    )


def test_create_api_token_prints_the_token_and_nothing_else(world):
    output = create_token("partner-co", "--name", "Nightly sync")
    token = output.strip()
    assert output == token + "\n"
    assert len(token) == 64
    stored = ApiToken.objects.get(user=world.partner_co)
    assert stored.name == "Nightly sync"
    assert stored.expiry is None


def test_only_a_hash_of_the_secret_is_stored(world):
    token, secret = services.api_token_create(user=world.partner_co, name="Script", expires_days=30)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(value) for value in row.values()}
    assert row["digest"] == hash_token(secret)
    assert secret.startswith(row["token_key"]) and len(row["token_key"]) < len(secret) // 4


def test_partner_token_lists_only_the_colombian_coalitions_of_its_organisation(world):
    client = token_client(create_token("partner-co").strip())
    response = client.get("/api/v1/coalitions/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.co_coalition.pk]


def test_expired_token_is_refused_with_a_json_401_and_kept_for_its_owner_to_see(world):
    token = create_token("partner-co", "--expires-days", "7").strip()
    stored = ApiToken.objects.get(user=world.partner_co)
    assert stored.expiry - timezone.now() > datetime.timedelta(days=6)
    client = token_client(token)
    assert client.get("/api/v1/countries/").status_code == 200
    ApiToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "authentication_failed"
    assert "expired" in response.json()["detail"]
    assert ApiToken.objects.filter(pk=stored.pk).exists()


def test_revoked_token_is_refused(world):
    token, secret = services.api_token_create(user=world.staff_co, name="One", expires_days=30)
    client = token_client(secret)
    assert client.get("/api/v1/countries/").status_code == 200
    services.api_token_revoke(token=token)
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_revoke_all_stops_every_token_of_the_user_and_no_one_elses(world):
    mine = [services.api_token_create(user=world.staff_co, name=f"T{n}", expires_days=30)[1] for n in range(3)]
    theirs = services.api_token_create(user=world.staff_pe, name="T0", expires_days=30)[1]
    assert services.api_token_revoke_all(user=world.staff_co) == 3
    assert all(token_client(secret).get("/api/v1/countries/").status_code == 401 for secret in mine)
    assert token_client(theirs).get("/api/v1/countries/").status_code == 200


def test_made_up_and_garbled_tokens_are_refused(world):
    assert token_client("0" * 64).get("/api/v1/countries/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \udcff".encode("utf-8", "surrogateescape").decode("latin-1"))
    assert client.get("/api/v1/countries/").status_code == 401


def test_inactive_users_token_is_refused(world):
    secret = services.api_token_create(user=world.partner_co, expires_days=30)[1]
    world.partner_co.is_active = False
    world.partner_co.save()
    assert token_client(secret).get("/api/v1/countries/").status_code == 401


def test_unknown_user_and_bad_expiry_are_errors(world, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    with pytest.raises(CommandError):
        create_token("nobody")
    with pytest.raises(CommandError):
        create_token("partner-co", "--expires-days", "0")
    with pytest.raises(CommandError):
        create_token("partner-co", "--expires-days", "91")
    assert not ApiToken.objects.exists()


def test_the_expiry_is_bounded_by_the_setting(world, settings):
    settings.API_TOKEN_MAX_DAYS = 60
    assert services.api_token_expiry_choices() == [30, 60]
    with pytest.raises(ValidationError):
        services.api_token_create(user=world.partner_co, name="Long", expires_days=61)
    token, _secret = services.api_token_create(user=world.partner_co, name="Short", expires_days=60)
    assert token.expiry - timezone.now() <= datetime.timedelta(days=60)


def test_two_tokens_of_one_user_cannot_share_a_name(world):
    services.api_token_create(user=world.partner_co, name="Sync", expires_days=30)
    with pytest.raises(ValidationError) as refused:
        services.api_token_create(user=world.partner_co, name="Sync", expires_days=30)
    assert "You already have a token with this name." in refused.value.messages
    services.api_token_create(user=world.partner_pe, name="Sync", expires_days=30)  # another user's may


def test_last_use_is_written_at_most_once_per_interval(world, django_assert_num_queries):
    token, secret = services.api_token_create(user=world.staff_co, name="Busy", expires_days=30)
    assert token.last_used_at is None
    with django_assert_num_queries(2):  # the token with its user, and the first use
        user, _ = authenticate(secret)
    assert user == world.staff_co
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # used again within the interval: no write
        authenticate(secret)
    earlier = first - LAST_USE_PRECISION
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    authenticate(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier


def test_creation_and_revocation_are_in_the_history_without_the_hash_or_last_use(world):
    token, secret = services.api_token_create(user=world.partner_co, name="Recorded", expires_days=30)
    authenticate(secret)
    pk, digest = token.pk, token.digest
    services.api_token_revoke(token=token)
    changes = list(ObjectChange.objects.filter(content_type__model="apitoken", object_pk=str(pk)))
    assert sorted(change.action for change in changes) == [ObjectChange.Action.CREATE, ObjectChange.Action.DELETE]
    created = next(change for change in changes if change.action == ObjectChange.Action.CREATE)
    assert created.changes["name"] == [None, "Recorded"]
    assert "digest" not in created.changes and "last_used_at" not in created.changes
    assert all(digest not in str(change.changes) for change in changes)


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


def kept_token_client(world, user) -> tuple[ApiToken, APIClient]:
    """A token whose last use was just written, used once more, so the API keeps it (core.api.authentication)."""
    token, secret = services.api_token_create(user=user, name="Kept", expires_days=30)
    client = token_client(secret)
    assert client.get("/api/v1/countries/").status_code == 200  # writes the last use
    assert client.get("/api/v1/countries/").status_code == 200  # reads it again and keeps it
    return token, client


def test_a_kept_token_costs_no_query_until_its_last_use_is_due(world):
    _token, client = kept_token_client(world, world.staff_co)
    with CaptureQueriesContext(connection) as read:
        client.get("/api/v1/countries/")
    assert not [query for query in read.captured_queries if "accounts_apitoken" in query["sql"]]


def test_a_kept_token_is_refused_once_revoked(world):
    token, client = kept_token_client(world, world.staff_co)
    services.api_token_revoke(token=token)
    assert client.get("/api/v1/countries/").status_code == 401


def test_a_kept_token_is_refused_once_expired_by_a_bulk_write(world):
    token, client = kept_token_client(world, world.partner_co)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_kept_token_is_refused_once_its_user_is_deactivated(world):
    _token, client = kept_token_client(world, world.partner_co)
    world.partner_co.is_active = False
    world.partner_co.save()
    assert client.get("/api/v1/countries/").status_code == 401


def test_a_kept_token_is_refused_once_its_user_is_deactivated_in_bulk(world):
    _token, client = kept_token_client(world, world.partner_co)
    type(world.partner_co).objects.filter(pk=world.partner_co.pk).update(is_active=False)
    assert client.get("/api/v1/countries/").status_code == 401


def test_a_kept_token_answers_with_its_users_current_role(world):
    _token, client = kept_token_client(world, world.staff_co)
    world.staff_co.role = "partner"
    world.staff_co.organisation = world.co_org
    world.staff_co.save()
    assert client.get("/api/v1/relationships/").status_code == 403  # staff-only: not for a partner
