"""The downloads of coalitions, memberships, engagements, commitments and outcomes."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coalitions.models import Coalition, Commitment, Engagement, Membership, Outcome

TABLES = ["coalitions", "memberships", "engagements", "commitments", "outcomes"]


def _ids(model, **filters):
    return {str(pk) for pk in model.objects.filter(**filters).values_list("pk", flat=True)}


SCOPE = {
    "coalitions": (Coalition, "initiative__country"),
    "memberships": (Membership, "coalition__initiative__country"),
    "engagements": (Engagement, "coalition__initiative__country"),
    "commitments": (Commitment, "coalition__initiative__country"),
    "outcomes": (Outcome, "coalition__initiative__country"),
}


@pytest.mark.parametrize("table", TABLES)
def test_partners_and_anonymous_users_get_no_export(partner_client, client, world, table):
    """The rows come from `visible_to`, under which staff read every country; partners use the portal."""
    assert partner_client.get(f"/exports/{table}/").status_code == 403
    assert client.get(f"/exports/{table}/").status_code == 302


@pytest.mark.parametrize("table", TABLES)
def test_each_export_opens_in_both_formats_with_a_bom(staff_client, world, table):
    model, _country = SCOPE[table]
    response = staff_client.get(f"/exports/{table}/", {"sep": ";"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Id"
    assert {row[0] for row in rows[1:]} == {str(pk) for pk in model.objects.values_list("pk", flat=True)}
    book = load_workbook(io.BytesIO(staff_client.get(f"/exports/{table}/", {"format": "xlsx"}).content))
    assert [cell.value for cell in next(book.active.iter_rows(max_row=1))] == rows[0]


@pytest.mark.parametrize("table", TABLES)
def test_each_export_applies_the_filters(staff_client, world, table):
    model, country = SCOPE[table]
    field = "country" if table == "coalitions" else "coalition"
    value = world.co.pk if table == "coalitions" else world.co_coalition.pk
    content = staff_client.get(f"/exports/{table}/", {field: value}).content.decode("utf-8-sig")
    ids = {row[0] for row in list(csv.reader(io.StringIO(content)))[1:]}
    assert ids == _ids(model, **{country: world.co})
    assert not ids & _ids(model, **{country: world.pe})


def test_the_coalition_export_counts_the_active_members_and_writes_labels_in_spanish(staff_client, world):
    content = staff_client.get("/exports/coalitions/", HTTP_ACCEPT_LANGUAGE="es").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    row = next(row for row in rows if row[0] == str(world.co_coalition.pk))
    assert rows[0][-1] == "Miembros activos"
    assert row[-1] == str(world.co_coalition.memberships.filter(left_on__isnull=True).count())
    assert world.co_coalition.get_level_display() != "" and "Local" in row


def test_an_unknown_table_is_not_found(staff_client, world):
    assert staff_client.get("/exports/passwords/").status_code == 404


@pytest.mark.parametrize("table", TABLES)
def test_the_query_count_does_not_grow_with_the_rows(staff_client, world, table):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(f"/exports/{table}/", {"format": "xlsx"}).status_code == 200
        return len(captured)

    before, day = count(), datetime.date(2026, 1, 1)
    for number in range(5):
        coalition = Coalition.objects.create(
            initiative=world.co_initiative, name=f"Mesa {number}", level="local", shared_goal="Agua"
        )
        Membership.objects.create(coalition=coalition, stakeholder=world.co_org, joined_on=day)
        Commitment.objects.create(coalition=coalition, owner=world.co_org, description="Mapa")
        Engagement.objects.create(coalition=coalition, occurred_on=day, kind="workshop", title="T")
        Outcome.objects.create(coalition=coalition, description="Cambio", observed_on=day)
    assert count() == before


def test_the_coalition_pages_link_to_the_downloads_and_the_detail_to_its_own_rows(staff_client, world):
    listing = staff_client.get("/coalitions/", {"country": world.co.pk}).content.decode()
    assert f"/exports/coalitions/?country={world.co.pk}&amp;format=xlsx" in listing
    assert "/exports/memberships/?format=xlsx" in listing
    detail = staff_client.get(world.co_coalition.get_absolute_url()).content.decode()
    link = f"/exports/outcomes/?coalition={world.co_coalition.pk}"
    assert link in detail
    content = staff_client.get(link).content.decode("utf-8-sig")
    assert {row[0] for row in list(csv.reader(io.StringIO(content)))[1:]} == {str(world.co_outcome.pk)}


def test_a_bad_filter_value_is_a_400_not_every_row(staff_client, world):
    response = staff_client.get("/exports/coalitions/", {"status": "bogus"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"status" in response.content
