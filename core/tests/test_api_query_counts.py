"""Every list endpoint runs the same small number of queries whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from coalitions.models import Initiative
from core import short_tables
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
    return count_and_read(client, url)[:2]


def count_and_read(client, url) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"]), [query["sql"] for query in queries.captured_queries]


def total_is_kept(sqls: list[str]) -> bool:
    """Whether a page's total is kept between requests (core.short_tables.kept_count): its one COUNT
    reads only tables whose writes drop a version."""
    counts = [sql for sql in sqls if sql.startswith("SELECT COUNT(")]
    assert len(counts) == 1, sqls
    read = set(short_tables._READ_TABLES.findall(counts[0]))
    return read <= short_tables._versioned_tables().keys()


def list_model(prefix: str):
    return resolve(f"/api/v1/{prefix}/").func.cls.queryset.model


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
    # The first request counts the rows; a list whose total is kept (every table its count reads
    # is versioned) answers the next requests with one query fewer, until a write to one of them.
    short_tables.table_changed(list_model(prefix))  # cold, as after a write (the client's warm-up read it)
    one, shown_one, sqls = count_and_read(client, f"/api/v1/{prefix}/?page_size=1")
    assert shown_one == 1
    warm = one - 1 if total_is_kept(sqls) else one
    with django_assert_num_queries(warm):
        response = client.get(f"/api/v1/{prefix}/?page_size=100")
    # More than one row wherever the resource's `make` can repeat (a few later resources allow one).
    assert len(response.json()["results"]) >= 1
    short_tables.table_changed(list_model(prefix))  # as a write to the list's table does
    with django_assert_num_queries(one):
        client.get(f"/api/v1/{prefix}/?page_size=100")
    assert one <= MAX_QUERIES


@pytest.mark.parametrize(("prefix", "basename"), LISTS)
def test_cursor_mode_query_count_is_constant(world, django_assert_num_queries, prefix, basename):
    make_rows(world, basename, 1)
    client = token_client(world.staff_co)
    one, _ = count_queries(client, f"/api/v1/{prefix}/?mode=cursor&page_size=1")
    with django_assert_num_queries(one):
        client.get(f"/api/v1/{prefix}/?mode=cursor&page_size=100")
    assert one <= MAX_QUERIES
