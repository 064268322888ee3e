"""A region's resources page: transfers, execution by objective, mining revenue use, plan indicators, CSV exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import ResourceFlow

URL = reverse("planning:region_resources", kwargs={"code": "pe-moq"})


def test_staff_sees_moquegua_transfers_execution_and_indicators(other_staff_client, resources, plan_indicator):
    response = other_staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Transfers by year and source" in html
    assert "<svg" in html and 'class="chart-bar' in html
    assert "OER2" in html
    assert "Households with safe water" in html
    assert "Sample figures." in html


def test_partner_reads_public_resource_data(other_partner_client, partner_client, resources, plan_indicator):
    # Transfers, budgets and plans are public: every partner reads them.
    for client in (partner_client, other_partner_client):
        response = client.get(URL)
        assert response.status_code == 200
        assert "Households with safe water" in response.content.decode()


def test_partners_download_the_public_plans_indicators_and_visitors_sign_in(
    client, partner_client, other_partner_client, plan_indicator
):
    url = reverse("results:region_indicators_csv", kwargs={"code": "pe-moq"})
    for signed_in in (partner_client, other_partner_client):
        rows = list(csv.reader(io.StringIO(signed_in.get(url).content.decode())))
        assert [row[1] for row in rows[1:]] == ["Households with safe water"]
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert partner_client.get(reverse("results:region_indicators_csv", kwargs={"code": "xx-nope"})).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, resources):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_region_is_404(staff_client):
    assert staff_client.get(reverse("planning:region_resources", kwargs={"code": "xx-nope"})).status_code == 404


def test_each_execution_year_is_offered_once(staff_client, resources):
    assert staff_client.get(URL).context["execution_years"] == [2025, 2024, 2023, 2022, 2021]


def test_execution_year_can_be_chosen_and_bad_years_fall_back(staff_client, resources):
    assert "Execution by plan objective, 2022" in staff_client.get(URL + "?year=2022").content.decode()
    assert "Execution by plan objective, 2025" in staff_client.get(URL + "?year=abc").content.decode()


def test_page_without_data_says_so(staff_client, world):
    response = staff_client.get(reverse("planning:region_resources", kwargs={"code": "co-lag"}))
    assert response.status_code == 200
    assert "No transfers recorded for this region." in response.content.decode()


@pytest.mark.parametrize("table", ["transfers", "execution", "mining", "indicators"])
def test_each_table_exports_as_csv(staff_client, resources, plan_indicator, table):
    response = staff_client.get(
        reverse("planning:region_resources_csv", kwargs={"code": "pe-moq", "table": table})
        if table != "indicators"
        else reverse("results:region_indicators_csv", kwargs={"code": "pe-moq"})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) >= 2


def test_transfers_csv_totals_match_the_data(staff_client, resources):
    response = staff_client.get(
        reverse("planning:region_resources_csv", kwargs={"code": "pe-moq", "table": "transfers"})
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    year_2021 = next(row for row in rows if row[0] == "2021")
    expected = sum(f.amount for f in ResourceFlow.objects.filter(region__code="PE-MOQ", fiscal_year=2021))
    assert Decimal(year_2021[-1]) == expected


def test_unknown_export_is_404(staff_client, resources):
    url = reverse("planning:region_resources_csv", kwargs={"code": "pe-moq", "table": "secrets"})
    assert staff_client.get(url).status_code == 404


def test_csv_export_neutralises_formulas(staff_client, plans):
    from planning.importers import resources_import

    text = "region_code,fiscal_year,project_code,project_name,funding_source,allocated,executed,plan_objective\n"
    text += "PE-MOQ,2024,X1,=HYPERLINK(1),mining_canon,10,5,\n"
    assert resources_import(kind="execution", file=text, dry_run=False).ok
    response = staff_client.get(
        reverse("planning:region_resources_csv", kwargs={"code": "pe-moq", "table": "execution"}) + "?year=2024"
    )
    assert "=HYPERLINK" not in response.content.decode().replace("'=HYPERLINK", "")


def test_query_count_does_not_grow_with_the_data(staff_client, plans, django_assert_num_queries):
    from planning.importers import resources_import

    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL).status_code == 200
        return len(captured)

    small = "region_code,fiscal_year,source,amount\nPE-MOQ,2021,mining_canon,100\n"
    assert resources_import(kind="flows", file=small, dry_run=False).ok
    baseline = page_queries()
    big = "region_code,fiscal_year,source,amount\n" + "".join(
        f"PE-MOQ,{year},{source},100\n" for year in range(2000, 2030) for source in ("mining_canon", "other_transfers")
    )
    assert resources_import(kind="flows", file=big, dry_run=False).ok
    with django_assert_num_queries(baseline):
        staff_client.get(URL)


def test_resources_index_lists_regions_with_data_in_constant_queries(partner_client, resources):
    index = reverse("planning:resources_index")
    with CaptureQueriesContext(connection) as few:
        response = partner_client.get(index)
    html = response.content.decode()
    assert "Moquegua" in html and "Cajamarca" in html
    assert "Import transfers" not in html  # partners read, never import
    from planning.importers import resources_import

    text = "region_code,fiscal_year,source,amount\n" + "".join(
        f"{code},2024,mining_canon,1\n" for code in ("PE-ARE", "PE-TAC", "PE-PUN", "CO-CES", "CO-LAG")
    )
    assert resources_import(kind="flows", file=text, dry_run=False).ok
    with CaptureQueriesContext(connection) as many:
        assert "Cesar" in partner_client.get(index).content.decode()
    assert len(many) == len(few)
