"""Queries per request stay constant in page size, in coalition size and in the data's size, and
within 8 for every page and endpoint of the benchmark.

Measured on small seeded data sets with the same shape as the benchmark's. Every scenario of
`bench.run.scenarios_for` (the list `make bench` drives, the one source of truth) is counted at two
sizes of data; the tests below it pin pairs the harness does not cover (page sizes, partners).
"""

import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import api_token_create
from bench.run import Fixtures, create_fixtures, headers_for, scenarios_for
from coalitions.models import Coalition, Initiative, Membership
from coalitions.tests.conftest import grow_coalition
from core.management.commands.seed_scale import seed_scale
from countries.models import Country
from stakeholders.models import Stakeholder

BUDGET = 8
SMALL, GROWTH = 300, 1_200  # stakeholders of the small data set, and how many the big one adds

# The harness's scenarios, by name (the ids need a database; the names do not).
SCENARIOS = [s.name for s in scenarios_for(Fixtures.placeholder()) if not s.name.startswith("baseline")]


def _scenario_counts() -> dict[str, int]:
    """Each scenario's queries on the data as it is now, with the fixtures the harness would take."""
    fixtures = create_fixtures()
    counts = {}
    for scenario in scenarios_for(fixtures):
        if scenario.name.startswith("baseline"):
            continue  # the yardsticks live in bench.urls, outside the site
        client = Client(headers=headers_for(scenario, fixtures))
        counts[scenario.name] = queries(client, scenario.path)
    return counts


_COUNTED: dict[str, tuple[dict[str, int], dict[str, int]]] = {}


@pytest.fixture
def scenario_budgets(db):
    """Every scenario's queries at two sizes of data (SMALL stakeholders, then GROWTH more).

    Counted by the first test that asks (its data is rolled back with it) and kept for the others:
    seeding twice for each of the scenarios would cost minutes.
    """
    if "counts" not in _COUNTED:
        seed_scale(stakeholders=SMALL)
        small = _scenario_counts()
        seed_scale(stakeholders=GROWTH, serial_from=SMALL, seed=7)
        _COUNTED["counts"] = (small, _scenario_counts())
    return _COUNTED["counts"]


#: Pages that leave out an empty section's query (a coalition without former members, a portal
#: section with no rows). The harness picks its coalitions afresh at each size, so one size may have
#: a section the other lacks: their count may differ by those sections, never beyond the budget.
SKIP_EMPTY_SECTIONS = {"page_national_coalition", "page_portal_coalition"}


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_benchmark_scenario_within_the_budget_at_two_data_sizes(scenario_budgets, name):
    small, big = (counts[name] for counts in scenario_budgets)
    if name not in SKIP_EMPTY_SECTIONS:
        assert small == big, f"{name}: {small} queries at {SMALL:,} stakeholders, {big} at {SMALL + GROWTH:,}"
    assert max(small, big) <= BUDGET, f"{name}: {small} and {big} queries (budget {BUDGET})"


@pytest.fixture
def scaled(db, django_user_model):
    seed_scale(stakeholders=1_500)
    staff = django_user_model.objects.create_user(username="bench-staff", role="staff")
    staff.country_teams.set(Country.objects.all())
    members = Count("memberships", filter=Q(memberships__left_on__isnull=True))
    coalitions = Coalition.objects.annotate(members=members).order_by("members", "pk")
    initiatives = Initiative.objects.annotate(n=Count("assessments")).order_by("n", "pk")
    small, big = coalitions.first(), coalitions.last()
    # A partner organisation in both coalitions: partners get the briefs through visible_to, not joins.
    organisation = Stakeholder.objects.filter(kind="organisation").exclude(memberships__coalition__in=[small, big])
    organisation = organisation.order_by("pk").first()
    for coalition in (small, big):
        Membership.objects.create(coalition=coalition, stakeholder=organisation, joined_on=datetime.date(2026, 1, 1))
    partner = django_user_model.objects.create_user(username="bench-partner", role="partner", organisation=organisation)
    page = Client()
    page.force_login(staff)
    return {
        "api": token_client(staff),
        "partner_api": token_client(partner),
        "page": page,
        "small": small,
        "big": big,
        "few_assessments": initiatives.first(),
        "many_assessments": initiatives.last(),
        "country": Country.objects.get(code="CO").pk,
    }


def token_client(user) -> APIClient:
    """A real token, so the counts include authentication as a client pays it."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    for _ in range(2):  # in use: its last use written, then kept by the API (core.api.authentication)
        client.get("/api/v1/countries/")
    return client


def queries(client, url: str) -> int:
    # Warm, as a busy client is: the first requests load per-process caches (content types, sessions),
    # and an API token is kept from its second request on (the first writes its last use).
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_constant(client, small_url: str, big_url: str, budget: int | None = BUDGET) -> None:
    small, big = queries(client, small_url), queries(client, big_url)
    assert small == big, f"{small_url}: {small} queries, {big_url}: {big}"
    if budget is not None:
        assert big <= budget, f"{big_url}: {big} queries"


def test_the_big_coalition_is_much_bigger_than_the_small_one(scaled):
    assert scaled["big"].members >= 3 * scaled["small"].members


def test_api_stakeholder_list_at_two_page_sizes(scaled):
    listing = f"/api/v1/stakeholders/?country={scaled['country']}"
    assert_constant(scaled["api"], f"{listing}&page_size=5", f"{listing}&page_size=100")
    assert_constant(scaled["api"], f"{listing}&page_size=5&mode=cursor", f"{listing}&page_size=100&mode=cursor")


def test_api_coalition_members_at_two_coalition_sizes(scaled):
    small, big = scaled["small"].pk, scaled["big"].pk
    for client in (scaled["api"], scaled["partner_api"]):
        members = "/api/v1/memberships/?coalition={}"
        assert_constant(client, members.format(small), members.format(big))
        assert_constant(client, f"{members.format(small)}&mode=cursor", f"{members.format(big)}&mode=cursor")
        assert_constant(client, f"/api/v1/coalitions/{small}/", f"/api/v1/coalitions/{big}/")


def test_partner_api_stakeholder_list_at_two_page_sizes(scaled):
    # People, so that even the short page has an organisation to look up (none to look up costs no query).
    listing = f"/api/v1/stakeholders/?country={scaled['country']}&kind=person"
    assert_constant(scaled["partner_api"], f"{listing}&page_size=5", f"{listing}&page_size=100")


def test_api_initiative_map_at_two_sizes(scaled):
    few, many = scaled["few_assessments"].pk, scaled["many_assessments"].pk
    assert_constant(scaled["api"], f"/api/v1/initiatives/{few}/map/", f"/api/v1/initiatives/{many}/map/")


# The staff pages run within the same budget of 8 (session and user included), whatever the data's size;
# `make bench` reports the same figures at 50,000 stakeholders.
def test_coalition_page_and_its_panels_at_two_coalition_sizes(scaled):
    # The page: session, user, teams, the coalition (with its member counts), a page of current and of
    # former members, its regions. Its health and indicators, action plan, records (engagements,
    # outcomes with their actors, learning notes) and local coalitions are panels loaded after it.
    small, big = scaled["small"].pk, scaled["big"].pk
    for part in ("", "health/", "plan/", "records/", "children/"):
        assert_constant(scaled["page"], f"/coalitions/{small}/{part}", f"/coalitions/{big}/{part}")


def test_initiative_page_and_its_panels_at_two_initiative_sizes(scaled):
    # The page: session, user, teams, the initiative; its regions and coalitions are kept. Its stakeholder
    # map, plan objectives and indicators, and recent activity are panels loaded after it.
    few, many = scaled["few_assessments"].pk, scaled["many_assessments"].pk
    for part in ("", "map/", "indicators/", "activity/"):
        assert_constant(scaled["page"], f"/initiatives/{few}/{part}", f"/initiatives/{many}/{part}")


def test_directory_page_with_one_row_and_with_a_full_page_of_rows(scaled):
    # The same filters (validating `country` costs a query), one row against fifty; one row rather
    # than none, and a person with an organisation, because Django skips a prefetch with nothing to fetch.
    one = Stakeholder.objects.filter(kind="person", organisation__isnull=False, country__code="CO").first()
    listing = f"/stakeholders/?country={scaled['country']}"
    assert_constant(scaled["page"], f"{listing}&q={quote(one.name)}", listing)


def test_directory_search_and_a_chosen_coalition_within_the_budget(scaled):
    one = Stakeholder.objects.filter(kind="person", organisation__isnull=False).first()
    assert queries(scaled["page"], f"/stakeholders/?q={quote(one.name)}") <= BUDGET
    small, big = scaled["small"].pk, scaled["big"].pk
    assert_constant(scaled["page"], f"/stakeholders/?coalition={small}", f"/stakeholders/?coalition={big}")


def test_dashboard_at_two_data_sizes(scaled):
    before = queries(scaled["page"], "/dashboard/")
    assert before <= BUDGET
    grow_coalition(scaled["small"], 40)  # members, commitments, engagements, outcomes and notes
    assert queries(scaled["page"], "/dashboard/") == before
