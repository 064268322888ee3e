"""The key list queries use indexes at scale: no sequential scan of the big tables (PostgreSQL).

One test seeds a few thousand rows once (seeding is the slow part) and checks every query.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection

from accounts.models import User
from coalitions.api.serializers import MembershipSerializer
from coalitions.models import Coalition, Engagement, Membership
from core.api.rows import row_plan
from core.management.commands.seed_scale import seed_scale
from core.testing import require_service
from countries.models import Country
from stakeholders.api.serializers import StakeholderSerializer
from stakeholders.filters import ContactFilterSet, StakeholderFilterSet
from stakeholders.models import Contact, Stakeholder

#: What the filters see of a request: program staff, who may read every row.
STAFF = SimpleNamespace(user=User(role=User.Role.STAFF))
BIG_TABLES = ("stakeholders_stakeholder", "coalitions_membership", "coalitions_engagement", "coalitions_assessment")


def explain(queryset_or_sql) -> str:
    if isinstance(queryset_or_sql, tuple):
        sql, params = queryset_or_sql
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
    return queryset_or_sql.explain()


def seq_scans(plan: str) -> list[str]:
    return [table for table in re.findall(r"Seq Scan on (\w+)", plan) if table in BIG_TABLES]


def stakeholders(params: dict):
    return StakeholderFilterSet(params, queryset=Stakeholder.objects.all(), request=STAFF).qs


def search_terms(someone: Stakeholder) -> dict[str, str]:
    """One search of each kind people type (core.search), from the seeded names."""
    words = someone.name.lower().split()
    return {
        "short": "al",  # only short words: the start of the name
        "common": "alcaldia",  # about one name in fifty
        "common, late in the alphabet": "fundacion",
        "long": "fundacion agua viva sostenible",
        "words out of order": "andina alcaldia",
        "rare": f"{words[-2]} {words[-1]}",  # a surname and a serial: one row
        "with a short word": f"{words[-2]} {words[-1][:2]}",  # "quispe 12": the bench's term
    }


def search_plans(terms: dict[str, str]) -> dict[tuple[str, str], str]:
    """The plans of each search's pages (best matches first, 50 rows: as the API selects them, with
    the directory's joins, with the country only) and of its count, by (term, query)."""
    plans = {}
    api_plan = row_plan(StakeholderSerializer)
    for kind, term in terms.items():
        found = stakeholders({"q": term})
        plans[kind, "API page"] = explain(api_plan.page_rows(found, ())[:50])
        plans[kind, "directory page"] = explain(found.select_related("country", "organisation", "municipality")[:50])
        plans[kind, "page"] = explain(found.select_related("country")[:50])
        sql, params = found.order_by().values("pk").query.sql_with_params()
        plans[kind, "count"] = explain((f"SELECT COUNT(*) FROM ({sql}) AS counted", params))  # noqa: S608
    return plans


def assert_served_by_the_search_indexes(plans: dict[tuple[str, str], str]) -> None:
    for (kind, query), plan in plans.items():
        label = f"{kind} term, {query}"
        # A search of short words only (the start of the name) reads the prefix index, every other the trigrams.
        index = "stakeholder_search_name_prefix_idx" if kind == "short" else "stakeholder_search_name_trgm_idx"
        assert re.search(rf"Index Scan (on|using) {index}", plan), f"{label}:\n{plan}"
        assert not seq_scans(plan), f"{label}:\n{plan}"
        # Never the whole table read in parallel to sort it (what the joined page query did, 35-60 ms).
        assert "Gather" not in plan, f"{label}:\n{plan}"
        # The page must not walk the name index in order, filtering every row until fifty match.
        assert "stakeholder_name_id_idx" not in plan, f"{label}:\n{plan}"
        assert "stakeholder_directory_idx" not in plan, f"{label}:\n{plan}"
        if query != "count":
            # The page's rows are chosen among the matches first (core.search.RankedPages): the LIMIT
            # sits under the joins, which read the page's rows only, not above them.
            assert "Limit" in plan and not plan.lstrip().startswith("Limit"), f"{label}:\n{plan}"


@pytest.mark.django_db
def test_key_list_queries_use_an_index_and_never_scan_a_big_table():
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    # Enough rows that reading a whole table costs more than an index, as at 50,000 stakeholders.
    seed_scale(stakeholders=8_000)
    with connection.cursor() as cursor:
        # What autovacuum does in production: fresh statistics, and new rows moved from the GIN
        # indexes' pending lists into the indexes proper (the planner prices a long pending list).
        cursor.execute("ANALYZE")
        for index in ("stakeholder_search_name_trgm_idx", "stakeholder_acronym_trgm_idx"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    plans = {}

    listing = stakeholders({"country": Country.objects.get(code="CO").pk, "sector": ["civil_society"]})
    plans["directory page"] = explain(listing.select_related("country")[:50])
    sql, params = listing.order_by().values("pk").query.sql_with_params()
    plans["directory count"] = explain((f"SELECT COUNT(*) FROM ({sql}) AS counted", params))  # noqa: S608
    # What a syncing partner asks: the same filter in cursor mode (id order), as the API builds it.
    plans["directory cursor page"] = explain(row_plan(StakeholderSerializer).page_rows(listing.order_by("pk"), ())[:51])

    # A name as staff type it: part of one actor's name, in another case.
    someone = Stakeholder.objects.filter(kind="person").order_by("pk").first()
    term = " ".join(someone.name.split()[-2:]).lower()
    plans["q= search"] = explain(stakeholders({"q": term})[:50])

    for label, coalition in (
        ("big coalition members", Coalition.objects.order_by("pk").first()),
        ("small coalition members", Coalition.objects.order_by("-pk").first()),
    ):
        members = Membership.objects.filter(coalition=coalition, left_on__isnull=True).select_related("stakeholder")
        plans[label] = explain(members.order_by("joined_on", "pk")[:50])
        # The API's members page: past members too, in the model's order, with the briefs joined (staff).
        api_page = row_plan(MembershipSerializer).page_rows(Membership.objects.filter(coalition=coalition), ())
        plans[f"API {label}"] = explain(api_page[:50])
    # The big coalition's page comes off the index in order; a small one may as well sort its few rows.
    assert "membership_page_idx" in plans["API big coalition members"], plans["API big coalition members"]
    assert "Sort" not in plans["API big coalition members"], plans["API big coalition members"]

    # The dashboard's latest engagements in the user's countries: newest first off the index, no sort.
    colombia = frozenset([Country.objects.get(code="CO").pk])
    latest = Engagement.objects.in_countries(colombia).filter(occurred_on__lte=datetime.date.today())
    plans["latest engagements"] = explain(latest.order_by("-occurred_on", "-pk").values("pk")[:10])
    assert "engagement_latest_idx" in plans["latest engagements"], plans["latest engagements"]
    assert "Sort" not in plans["latest engagements"], plans["latest engagements"]

    assert "stakeholder_search_name_trgm_idx" in plans["q= search"], plans["q= search"]
    for label, plan in plans.items():
        assert "Index" in plan, f"{label}:\n{plan}"
        assert not seq_scans(plan), f"{label}:\n{plan}"

    # Every kind of search, on the real statistics: the planner itself prefers the trigram index.
    terms = search_terms(someone)
    assert_served_by_the_search_indexes(search_plans(terms))
    # And the index can serve each of them whatever the statistics say (a plan that only a table
    # scan or a walk of the name index could answer would fail here).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert_served_by_the_search_indexes(search_plans(terms))
    contacts = ContactFilterSet({"q": "rojas maria"}, queryset=Contact.objects.all(), request=STAFF).qs
    assert "Bitmap Index Scan on contact_search_name_trgm_idx" in explain(contacts[:50]), explain(contacts[:50])
    # The check is honest: without the trigram index (dropped inside the test's transaction) it fails.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX stakeholder_search_name_trgm_idx")
    with pytest.raises(AssertionError, match="common term"):
        assert_served_by_the_search_indexes(search_plans(terms))
