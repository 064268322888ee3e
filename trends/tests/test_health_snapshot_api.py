"""The coalition health snapshots' API: read-only, filtered by coalition, country and month, scoped like coalitions."""

import datetime

import pytest
from rest_framework.test import APIClient

from trends.models import CoalitionHealthSnapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/coalition-health-snapshots/"
JAN, FEB = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)


@pytest.fixture
def snapshots(world):
    def take(coalition, period, members):
        return CoalitionHealthSnapshot.objects.create(
            coalition=coalition, period=period, as_of=period, members_active=members
        )

    return {
        "co_jan": take(world.co_coalition, JAN, 3),
        "co_feb": take(world.co_coalition, FEB, 4),
        "pe_feb": take(world.pe_coalition, FEB, 7),
    }


def ids(client, query: str = "") -> set[int]:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_filter_by_coalition_country_and_month(world, snapshots):
    client = api(world.staff_co)
    everything = {row.pk for row in snapshots.values()}
    assert ids(client) == everything  # staff read every country's records, as everywhere
    assert ids(client, f"?coalition={world.co_coalition.pk}") == {snapshots["co_jan"].pk, snapshots["co_feb"].pk}
    assert ids(client, f"?country={world.pe.pk}") == {snapshots["pe_feb"].pk}
    assert ids(client, "?period_after=2026-02-01&period_before=2026-02-28") == {
        snapshots["co_feb"].pk,
        snapshots["pe_feb"].pk,
    }


def test_a_snapshot_shows_the_health_figures(world, snapshots):
    row = api(world.staff_co).get(f"{URL}{snapshots['co_feb'].pk}/").json()
    assert row["coalition"] == world.co_coalition.pk
    assert (row["period"], row["members_active"]) == ("2026-02-01", 4)


def test_partners_see_only_their_coalitions_health(world, snapshots):
    assert ids(api(world.partner_co)) == {snapshots["co_jan"].pk, snapshots["co_feb"].pk}
    assert ids(api(world.partner_pe)) == {snapshots["pe_feb"].pk}
    assert api(world.partner_pe).get(f"{URL}{snapshots['co_jan'].pk}/").status_code == 404


def test_it_is_read_only(world, snapshots):
    client = api(world.admin)
    assert client.post(URL, {}, format="json").status_code == 405
    assert client.delete(f"{URL}{snapshots['co_jan'].pk}/").status_code == 405
    assert CoalitionHealthSnapshot.objects.count() == 3


def test_it_is_in_the_schema(world):
    schema = api(world.staff_co).get("/api/v1/schema/").content.decode()
    assert "/api/v1/coalition-health-snapshots/" in schema
