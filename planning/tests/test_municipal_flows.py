"""Resource flows to a municipality: imported by its official code or name, shown by municipality on
the region's page, exported with the code, filtered and written in the API with the region inferred."""

import csv
import io

import pytest
from django.urls import reverse

from countries.models import Municipality
from planning.importers import resources_import
from planning.models import ResourceFlow

pytestmark = pytest.mark.django_db

PAGE = reverse("planning:region_resources", kwargs={"code": "co-lag"})


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def test_the_import_reads_a_municipality_by_code_or_name_within_the_region(world):
    text = (
        "region_code,municipality,fiscal_year,source,amount\n"
        "CO-LAG,44847,2025,mining_royalties,10\n"
        "CO-LAG,RIOHACHA,2025,mining_royalties,11\n"
        "CO-LAG,,2025,mining_royalties,12\n"
        "PE-MOQ,Ilo (district),2025,mining_canon,5\n"
        "PE-MOQ,1801,2025,mining_canon,6\n"
    )
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert report.ok, report.errors
    got = {(row.region.code, row.municipality.code if row.municipality else "") for row in ResourceFlow.objects.all()}
    assert got == {("CO-LAG", "44847"), ("CO-LAG", "44001"), ("CO-LAG", ""), ("PE-MOQ", "180301"), ("PE-MOQ", "1801")}


@pytest.mark.parametrize(
    "cell,message",
    [
        ("Valledupar", "“Valledupar” is not a municipality of La Guajira (its official code or its name)."),
        ("Ilo", "“Ilo” is more than one municipality of Moquegua (1803, 180301): write its code."),
    ],
)
def test_the_import_refuses_a_municipality_outside_the_region_or_ambiguous(world, cell, message):
    region = "CO-LAG" if cell == "Valledupar" else "PE-MOQ"
    text = f"region_code,municipality,fiscal_year,source,amount\n{region},{cell},2025,mining_canon,10\n"
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert [error.message for error in report.errors] == [f"municipality: {message}"]
    assert not ResourceFlow.objects.exists()


def test_two_municipalities_of_a_region_each_have_their_yearly_total(world):
    for code in ("44847", "44001"):
        ResourceFlow.objects.create(
            region=world.guajira, municipality=place(code), fiscal_year=2025, source="mining_royalties", amount=1
        )
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2025, source="mining_royalties", amount=1)
    assert ResourceFlow.objects.count() == 3


def test_the_region_page_shows_transfers_by_municipality(staff_client, world):
    ResourceFlow.objects.create(
        region=world.guajira, municipality=place("44847"), fiscal_year=2025, source="mining_royalties", amount=40
    )
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2025, source="mining_royalties", amount=60)
    response = staff_client.get(PAGE)
    rows = response.context["municipal_transfers"]
    assert [(row.municipality, row.code, row.year, row.total) for row in rows] == [("Uribia", "44847", 2025, 40)]
    assert "Transfers by municipality" in response.content.decode()


def test_a_region_without_execution_shows_no_year_zero(staff_client, world):
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2025, source="mining_royalties", amount=60)
    html = staff_client.get(PAGE).content.decode()
    assert "Execution by plan objective</h2>" in html
    assert "Execution by plan objective, 0" not in html


def test_the_export_writes_the_municipalitys_code_and_imports_back(staff_client, world):
    ResourceFlow.objects.create(
        region=world.guajira, municipality=place("44847"), fiscal_year=2025, source="mining_royalties", amount=40
    )
    response = staff_client.get(reverse("planning:resources_export", kwargs={"kind": "flows"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "Municipality" and rows[1][2] == "44847"
    report = resources_import(kind="flows", file=response.content, dry_run=True)
    assert report.ok and report.unchanged == 1


def test_the_api_infers_the_region_and_filters_by_municipality(staff_api, world, django_assert_num_queries):
    uribia = place("44847")
    body = {"municipality": uribia.pk, "fiscal_year": 2025, "source": "mining_royalties", "amount": "5.00"}
    response = staff_api.post("/api/v1/resource-flows/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region"] == world.guajira.pk
    ResourceFlow.objects.create(region=world.guajira, fiscal_year=2025, source="mining_royalties", amount=60)
    with django_assert_num_queries(4):  # the user's teams, the municipality, the count, the page
        listed = staff_api.get("/api/v1/resource-flows/", {"municipality": uribia.pk}).json()["results"]
    assert [row["municipality"] for row in listed] == [uribia.pk]


def test_the_api_refuses_a_municipality_of_another_region(staff_api, world):
    body = {
        "region": world.guajira.pk,
        "municipality": place("20001").pk,
        "fiscal_year": 2025,
        "source": "mining_royalties",
        "amount": "5.00",
    }
    response = staff_api.post("/api/v1/resource-flows/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["municipality"] == ["Valledupar is not in La Guajira."]
