"""The API tokens page: every signed-in user makes named, expiring tokens (the secret shown once),
sees them with their last use, and revokes one or all after a confirmation; no one else's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken

LIST = reverse("accounts:token_list")


def create(client, name="Nightly sync", days=90):
    return client.post(LIST, {"name": name, "expires_days": str(days)})


def shown_secret(html: str) -> str | None:
    match = re.search(r'data-testid="new-token">.*?<code>([0-9a-f]{64})</code>', html, re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("persona", ["partner_client", "staff_client", "admin_client"])
def test_every_signed_in_user_creates_a_token_shown_once_that_works(request, world, persona):
    client = request.getfixturevalue(persona)
    response = create(client)
    assert response.status_code == 302 and response["Location"] == LIST
    secret = shown_secret(client.get(LIST).content.decode())
    assert secret is not None
    assert shown_secret(client.get(LIST).content.decode()) is None  # never again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/countries/").status_code == 200


def test_the_list_shows_name_prefix_dates_and_last_use(partner_client, world):
    token, secret = services.api_token_create(user=world.partner_co, name="Sync", expires_days=30)
    html = partner_client.get(LIST).content.decode()
    assert "Sync" in html and f"{token.token_key}…" in html and secret not in html
    assert "Not used yet" in html
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    api.get("/api/v1/countries/")
    assert "Not used yet" not in partner_client.get(LIST).content.decode()


def test_a_partner_sees_only_its_own_tokens(partner_client, world):
    services.api_token_create(user=world.partner_pe, name="Peruvian script", expires_days=30)
    services.api_token_create(user=world.staff_co, name="Staff script", expires_days=30)
    html = partner_client.get(LIST).content.decode()
    assert "Peruvian script" not in html and "Staff script" not in html


def test_an_expiry_beyond_the_setting_and_a_repeated_name_are_refused_on_the_form(partner_client, world, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    response = create(partner_client, days=90)
    assert response.status_code == 200 and "expires_days" in response.context["form"].errors
    assert create(partner_client, days=30).status_code == 302
    response = create(partner_client, days=30)
    assert response.status_code == 200
    assert "You already have a token with this name." in response.context["form"].non_field_errors()
    assert ApiToken.objects.count() == 1


def test_revoking_asks_first_and_then_the_token_stops_working(partner_client, world):
    token, secret = services.api_token_create(user=world.partner_co, name="Old", expires_days=30)
    url = reverse("accounts:token_revoke", args=[token.pk])
    page = partner_client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()  # asking is not revoking
    assert partner_client.post(url).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/countries/").status_code == 401


@pytest.mark.parametrize("outsider", ["other_partner_client", "staff_client", "admin_client"])
def test_no_one_else_sees_or_revokes_a_partners_token_on_the_page(request, world, outsider):
    token, _secret = services.api_token_create(user=world.partner_co, name="Mine", expires_days=30)
    client = request.getfixturevalue(outsider)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_all_asks_first_and_revokes_only_the_users_tokens(partner_client, world):
    for name in ("A", "B"):
        services.api_token_create(user=world.partner_co, name=name, expires_days=30)
    other, _ = services.api_token_create(user=world.partner_pe, name="A", expires_days=30)
    url = reverse("accounts:token_revoke_all")
    assert "2" in partner_client.get(url).content.decode()
    assert ApiToken.objects.count() == 3
    assert partner_client.post(url).status_code == 302
    assert list(ApiToken.objects.all()) == [other]


def test_admins_see_and_revoke_anyones_tokens_in_the_admin(admin_client, world):
    token, _ = services.api_token_create(user=world.partner_co, name="Partner script", expires_days=30)
    changelist = admin_client.get(reverse("admin:accounts_apitoken_changelist"))
    assert "Partner script" in changelist.content.decode()
    response = admin_client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_list_runs_the_same_queries_for_one_token_or_many(partner_client, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert partner_client.get(LIST).status_code == 200
        return len(queries)

    services.api_token_create(user=world.partner_co, name="T0", expires_days=30)
    partner_client.get(LIST)  # warm the session
    one = count()
    for number in range(1, 12):
        services.api_token_create(user=world.partner_co, name=f"T{number}", expires_days=30)
    assert count() == one


def test_the_page_is_in_spanish_and_linked_from_the_account_menu(partner_client, staff_client, world):
    english = partner_client.get(LIST).content.decode()
    spanish = partner_client.get(LIST, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "New token" in english and "Nuevo token" in spanish
    assert f'href="{LIST}"' in english
    assert f'href="{reverse("accounts:invitation_list")}"' not in english  # partners invite no one
    assert f'href="{reverse("accounts:invitation_list")}"' in staff_client.get(LIST).content.decode()
