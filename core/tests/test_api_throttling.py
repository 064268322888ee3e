"""Too many requests per token or per address: 429 with Retry-After."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "ip": "5/minute"},
    }


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


def test_a_token_over_its_rate_gets_429_with_retry_after(world, low_rates):
    client = token_client(world.partner_co)
    codes = [client.get("/api/v1/countries/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/countries/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_each_token_has_its_own_budget_but_one_address_shares_one(world, low_rates):
    first, second = token_client(world.partner_co), token_client(world.partner_co)
    assert [first.get("/api/v1/countries/").status_code for _ in range(3)] == [200] * 3
    assert [second.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]  # the address: 5


def test_a_forged_forwarded_for_gets_no_extra_budget(world, low_rates, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    def get(n: int) -> int:
        headers = {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        return token_client(world.partner_co).get("/api/v1/countries/", **headers).status_code  # a fresh token

    assert [get(n) for n in range(6)] == [200] * 5 + [429]  # the address's 5, whatever the header said


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(world, low_rates, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def get(client_address: str) -> int:
        headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {client_address}, 10.0.0.7"}
        return token_client(world.partner_co).get("/api/v1/countries/", **headers).status_code  # a fresh token

    assert [get("198.51.100.1") for _ in range(6)] == [200] * 5 + [429]
    assert [get("198.51.100.2") for _ in range(6)] == [200] * 5 + [429]


def test_retry_after_says_when_the_window_ends(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1/hour", "ip": None}}
    client = token_client(world.partner_co)
    assert client.get("/api/v1/countries/").status_code == 200
    response = client.get("/api/v1/countries/")
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
