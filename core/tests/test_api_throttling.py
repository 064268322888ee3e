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
