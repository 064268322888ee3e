"""Every list endpoint runs the same small number of queries whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from coalitions.models import Initiative
from core.api.permissions import STAFF_ONLY

from .api_resources import make_rows, routes

MAX_QUERIES = 8
LISTS = [(prefix, basename) for prefix, basename, action in routes() if action == "list"]


def token_client(user) -> APIClient:
    """A real token, so the count includes authentication as a client would pay it: a token in
    use, whose last use was just written (that write happens at most once a minute, not per request)."""
    row, token = api_token_create(user=user)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/api/v1/countries/")  # in use: kept by the API between its writes of the last use
    return client


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


CASES = [
    (prefix, basename, persona)
    for prefix, basename in LISTS
    for persona in ("staff_co", "partner_co")
    if not (persona == "partner_co" and basename in STAFF_ONLY)  # partners get 403 there
]


@pytest.mark.parametrize(("prefix", "basename", "persona"), CASES)
def test_list_query_count_is_constant_and_small(world, django_assert_num_queries, prefix, basename, persona):
    make_rows(world, basename, 3)
    if basename == "initiative":
        Initiative.objects.update(is_public=True)  # so the partner sees more than one
    client = token_client(getattr(world, persona))
    one, shown_one = count_queries(client, f"/api/v1/{prefix}/?page_size=1")
    assert shown_one == 1
    with django_assert_num_queries(one):
        response = client.get(f"/api/v1/{prefix}/?page_size=100")
    # More than one row wherever the resource's `make` can repeat (a few later resources allow one).
    assert len(response.json()["results"]) >= 1
    assert one <= MAX_QUERIES


@pytest.mark.parametrize(("prefix", "basename"), LISTS)
def test_cursor_mode_query_count_is_constant(world, django_assert_num_queries, prefix, basename):
    make_rows(world, basename, 1)
    client = token_client(world.staff_co)
    one, _ = count_queries(client, f"/api/v1/{prefix}/?mode=cursor&page_size=1")
    with django_assert_num_queries(one):
        client.get(f"/api/v1/{prefix}/?mode=cursor&page_size=100")
    assert one <= MAX_QUERIES
