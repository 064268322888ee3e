"""`make bench`: the site under load at real scale, next to two baselines measured in the same run.

Steps: create and seed the benchmark database (PostgreSQL, 50,000 stakeholders) unless it is
already seeded at that scale; time the 50,000-row CSV import; start gunicorn (sync workers,
persistent connections, production settings) on loopback; drive every scenario with wrk at
16 connections over interleaved rounds, each round also measuring the baselines (a) and (c);
write `bench/results/latest.json` and `latest.md` and print the table.

Usage: python -m bench.run [--stakeholders 50000] [--rounds 3] [--duration 8] [--smoke]
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wt_bench_scale),
BENCH_PORT (default 8600), BENCH_WORKERS (default 3).
"""

import argparse
import functools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bench import memory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "lua" / "report.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wt_bench_scale"
SECRET_KEY = "bench-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105 - a throwaway bench server
IMPORT_PREFIX = "Importado bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/9"
#: The served site's cache: shared by its workers, as production's must be (`check --deploy` asks for
#: CACHE_URL with more than one process), so what one worker keeps the others read and a write in one
#: drops it for all. Emptied when the server starts: what it holds belongs to a former run's data.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/10"

# Targets from the issues; checked, never lowered. A scenario under several takes the highest.
RATIO_TARGETS = {  # scenario: minimum share of baseline (c)'s requests/s (issue 6)
    "api_stakeholders_count": 0.35,
    "api_stakeholders_cursor": 0.5,
    "page_directory": 0.30,
    "api_coalition_50": 0.30,
    "api_coalition_5000": 0.30,
}
# Issue 18: every page (page_*) >= 0.25 x (c), every API list >= 0.6 x (c), the initiative map >= 0.4 x (c).
PAGE_RATIO = 0.25
API_LIST_RATIO = 0.6
MAP_RATIO = 0.4
API_LISTS = {
    "api_stakeholders_count",
    "api_stakeholders_cursor",
    "api_coalition_50",
    "api_coalition_5000",
    "api_search",
}
MAPS = {"api_initiative_map", "page_initiative_map"}
SLOW_MS = 1000.0  # a request slower than this alone is reported, not load-tested
TAIL_TARGET = 3.0  # p99 <= 3 x p50
MAX_QUERIES = 8
SEARCH_DB_MS = 2.0
IMPORT_SECONDS = 5.0  # 50,000 rows (issue 6)
IMPORT_LARGE_ROWS, IMPORT_LARGE_SECONDS = 500_000, 30.0  # issue 18
CAMPAIGN_SECONDS = 60.0  # 10,000 mails, two workers (issue 6)
CAMPAIGN_LARGE_MAILS, CAMPAIGN_LARGE_SECONDS = 100_000, 120.0  # issue 18
REPORT_SECONDS = 10.0  # a country's one-year period report, page data and workbook (issue 18 at 50,000)
SNAPSHOTS_SECONDS = 60.0  # take_snapshots: every network and coalition (issue 18)
SEED_LARGE_STAKEHOLDERS, SEED_LARGE_SECONDS = 500_000, 600.0  # seed_scale at 500,000 < 10 min (issue 18)
SCALE_FLATNESS = 0.8  # bench-scale: a ratio at the largest scale >= 0.8 x its ratio at the smallest


def ratio_target(name: str) -> float | None:
    """The lowest share of (c) a scenario must reach, or None when no target names it."""
    found = [RATIO_TARGETS.get(name)]
    if name.startswith(("page_", "panel_")):
        found.append(PAGE_RATIO)
    if name in API_LISTS:
        found.append(API_LIST_RATIO)
    if name in MAPS:
        found.append(MAP_RATIO)
    found = [value for value in found if value is not None]
    return max(found) if found else None


WORKER_RSS_MB = 150.0


@dataclass
class Scenario:
    """One URL under load, and how to reach it."""

    name: str
    title: str
    path: str
    auth: str = "session"  # "token", "session" (staff), "partner" (a partner's session) or "none"
    expect_json: bool = False
    # Same endpoint at another size: the query count must not change (issue: constant, <= 8).
    same_queries_as: str = ""
    measure_load: bool = True  # False: only its query count matters
    available: bool = True
    why_not: str = ""
    queries: int | None = None
    db_ms: float | None = None
    alone_ms: float | None = None  # one request on an idle server (median of the probes)
    too_slow: bool = False
    rounds: list[dict] = field(default_factory=list)
    budget_only: bool = field(init=False)  # declared for its query count only (no ratio target)

    def __post_init__(self) -> None:
        self.budget_only = not self.measure_load


# ---------------------------------------------------------------------------------------------
# Database and fixtures
# ---------------------------------------------------------------------------------------------


def _pg_connect(url: str, dbname: str | None = None):
    import psycopg2

    parts = urlparse(url)
    return psycopg2.connect(
        dbname=dbname or parts.path.lstrip("/"),
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )


def prepare_database(url: str, stakeholders: int, log) -> float | None:
    """Create, migrate and seed the benchmark database, unless it is already seeded at this scale.

    Returns how long seeding took (None: the database was already seeded and is reused)."""
    name = urlparse(url).path.lstrip("/")
    admin = _pg_connect(url, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    seeded = 0
    if exists:
        try:
            with _pg_connect(url) as conn, conn.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM stakeholders_stakeholder")
                seeded = cursor.fetchone()[0]
        except Exception:
            seeded = -1
    if exists and seeded != stakeholders:
        log(f"{name} holds {seeded} stakeholders, not {stakeholders}: recreating it")
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    if not exists:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage("migrate", "--no-input", "-v", "0")
    if not exists:
        started = time.monotonic()
        manage("seed_scale", "--stakeholders", str(stakeholders))
        seconds = time.monotonic() - started
        log(f"seeded in {seconds:.1f} s")
        return seconds
    return None


def manage(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        check=True,
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=capture,
        text=True,
    )


@dataclass
class Fixtures:
    """Ids and credentials the scenarios need, taken from the seeded database."""

    token: str
    session: str
    country_id: int
    sector: str
    big_coalition_id: int
    small_coalition_id: int
    small_coalition_members: int
    big_coalition_members: int
    initiative_id: int
    search_term: str
    few_assessments_initiative_id: int = 0
    engagement_id: int | None = None  # the record the streaming scenario attaches its files to
    country_code: str = "CO"
    stakeholder_id: int = 0  # the organisation in most coalitions
    national_coalition_id: int = 0  # the coalition with most local coalitions linked to it
    national_coalition_children: int = 0
    region_id: int = 0  # the region of the country with most stakeholders
    region_code: str = ""
    partner_session: str = ""  # a signed-in user of the organisation above (the portal)
    portal_coalition_id: int = 0  # the biggest of the partner's coalitions
    portal_coalition_members: int = 0
    report_start: str = ""
    report_end: str = ""

    @classmethod
    def placeholder(cls) -> "Fixtures":
        """Ids of nothing: enough to list the scenarios' names (the tests' parameters) without a database."""
        return cls("", "", 0, "civil_society", 0, 0, 0, 0, 0, "term")


def signed_in_session(user) -> str:
    """A session key of `user`, signed in with a second factor (production requires it of staff)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    user.refresh_from_db(fields=["two_factor_epoch"])  # the device's confirmation moved it on
    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.HAS_DEVICE_SESSION_KEY] = True
    session[two_factor.EPOCH_SESSION_KEY] = user.two_factor_epoch
    session.create()
    return session.session_key


def create_fixtures() -> Fixtures:
    """A staff user with an API token and a signed-in session, a partner user with a session; the
    ids of the objects under test."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from accounts.services import api_token_create
    from coalitions.models import Coalition, Engagement, Initiative, Membership
    from coalitions.rollup import Period
    from core.management.commands.seed_scale import TODAY as SEEDED_TODAY
    from countries.models import Country, Region
    from stakeholders.models import Stakeholder

    user, _ = get_user_model().objects.update_or_create(
        username="bench-staff", defaults={"role": "staff", "is_active": True}
    )
    user.country_teams.set(Country.objects.all())
    _instance, token = api_token_create(user=user, expires_days=1)
    session = signed_in_session(user)

    open_members = Count("memberships", filter=Q(memberships__left_on__isnull=True))
    coalitions = Coalition.objects.annotate(members=open_members)
    big = coalitions.order_by("-members", "pk").first()
    # The coalition closest to 50 open members (at small scales, the closest there is).
    small = min(coalitions.exclude(pk=big.pk).order_by("pk")[:200], key=lambda c: (abs(c.members - 50), c.pk))
    national = (
        Coalition.objects.filter(level="national").annotate(n=Count("children")).order_by("-n", "pk").first() or big
    )
    initiatives = Initiative.objects.annotate(n=Count("assessments"))
    initiative = initiatives.order_by("-n", "pk").first()
    few = initiatives.exclude(pk=initiative.pk).order_by("n", "pk").first() or initiative
    country = Country.objects.get(code="CO")
    person = Stakeholder.objects.filter(kind="person").order_by("pk").first() or Stakeholder.objects.first()
    # What staff type: a surname and a part of the serial, in lower case ("quispe 12").
    words = person.name.split()
    term = f"{words[-2]} {words[-1][:2]}".lower()
    # The organisation in most coalitions: the stakeholder page with most to show, and the portal's partner.
    busiest = (
        Membership.objects.filter(stakeholder__kind="organisation", stakeholder__country=country)
        .values("stakeholder")
        .annotate(n=Count("pk"))
        .order_by("-n", "stakeholder")
        .values_list("stakeholder", flat=True)
        .first()
    )
    organisation = Stakeholder.objects.get(pk=busiest) if busiest else person
    if organisation.kind != "organisation":
        organisation = Stakeholder.objects.filter(kind="organisation").order_by("pk").first() or organisation
    partner, _ = get_user_model().objects.update_or_create(
        username="bench-partner", defaults={"role": "partner", "is_active": True, "organisation": organisation}
    )
    mine = coalitions.filter(pk__in=Coalition.objects.visible_to(partner).values("pk"))
    portal_coalition = mine.order_by("-members", "pk").first() or big
    region = (
        Region.objects.filter(country=country)
        .annotate(n=Count("stakeholders"))
        .order_by("-n", "pk")
        .only("pk", "code")
        .first()
    )
    period = Period.default(today=SEEDED_TODAY)  # one year of the seeded data
    return Fixtures(
        token=token,
        session=session,
        country_id=country.pk,
        sector="civil_society",
        big_coalition_id=big.pk,
        small_coalition_id=small.pk,
        small_coalition_members=small.members,
        big_coalition_members=big.members,
        initiative_id=initiative.pk,
        search_term=term,
        few_assessments_initiative_id=few.pk,
        engagement_id=Engagement.objects.order_by("pk").values_list("pk", flat=True).first(),
        country_code=country.code,
        stakeholder_id=organisation.pk,
        national_coalition_id=national.pk,
        national_coalition_children=Coalition.objects.filter(parent=national).count(),
        region_id=region.pk if region else 0,
        region_code=region.code if region else "",
        partner_session=signed_in_session(partner),
        portal_coalition_id=portal_coalition.pk,
        portal_coalition_members=portal_coalition.members,
        report_start=period.start.isoformat(),
        report_end=period.end.isoformat(),
    )


def scenarios_for(f: Fixtures) -> list[Scenario]:
    listing = f"country={f.country_id}&sector={f.sector}"
    term = urllib.request.quote(f.search_term)
    code = f.country_code.lower()
    return [
        Scenario("baseline_minimal", "(a) minimal Django JSON view", "/bench/baseline/minimal/", auth="none"),
        Scenario("baseline_values", "(c) 50 rows via .values()", f"/bench/baseline/values/?{listing}", auth="none"),
        Scenario(
            "api_stakeholders_count",
            "API stakeholder list, 50 rows + count",
            f"/api/v1/stakeholders/?{listing}",
            auth="token",
            expect_json=True,
        ),
        Scenario(
            "api_stakeholders_page10",
            "API stakeholder list, 10 rows (query budget)",
            f"/api/v1/stakeholders/?{listing}&page_size=10",
            auth="token",
            expect_json=True,
            same_queries_as="api_stakeholders_count",
            measure_load=False,
        ),
        Scenario(
            "api_stakeholders_cursor",
            "API stakeholder list, cursor mode",
            f"/api/v1/stakeholders/?{listing}&mode=cursor",
            auth="token",
            expect_json=True,
        ),
        Scenario(
            "api_coalition_50",
            f"API coalition detail + members page ({f.small_coalition_members} members)",
            f"/api/v1/memberships/?coalition={f.small_coalition_id}",
            auth="token",
            expect_json=True,
        ),
        Scenario(
            "api_coalition_5000",
            f"API coalition detail + members page ({f.big_coalition_members} members)",
            f"/api/v1/memberships/?coalition={f.big_coalition_id}",
            auth="token",
            expect_json=True,
            same_queries_as="api_coalition_50",
        ),
        Scenario(
            "api_coalition_detail",
            "API coalition detail (big coalition)",
            f"/api/v1/coalitions/{f.big_coalition_id}/",
            auth="token",
            expect_json=True,
        ),
        Scenario(
            "api_initiative_map",
            "API initiative map",
            f"/api/v1/initiatives/{f.initiative_id}/map/",
            auth="token",
            expect_json=True,
        ),
        Scenario(
            "api_initiative_map_few",
            "API initiative map, initiative with fewest assessments (query budget)",
            f"/api/v1/initiatives/{f.few_assessments_initiative_id}/map/",
            auth="token",
            expect_json=True,
            same_queries_as="api_initiative_map",
            measure_load=False,
        ),
        Scenario("page_directory", "Staff directory page, 50 rows", f"/stakeholders/?{listing}"),
        Scenario("page_dashboard", "Dashboard", "/dashboard/"),
        Scenario(
            "page_stakeholder",
            "Stakeholder page (organisation in most coalitions)",
            f"/stakeholders/{f.stakeholder_id}/",
        ),
        Scenario(
            "page_coalition_small",
            f"Coalition page ({f.small_coalition_members} members)",
            f"/coalitions/{f.small_coalition_id}/",
        ),
        Scenario(
            "page_coalition",
            f"Coalition page (big coalition, {f.big_coalition_members} members)",
            f"/coalitions/{f.big_coalition_id}/",
            same_queries_as="page_coalition_small",
        ),
        Scenario(
            "page_national_coalition",
            f"National coalition page with its roll-up ({f.national_coalition_children} local coalitions)",
            f"/coalitions/{f.national_coalition_id}/",
        ),
        Scenario("page_initiative", "Initiative page", f"/initiatives/{f.initiative_id}/"),
        Scenario("page_initiative_map", "Initiative map (SVG)", f"/initiatives/{f.initiative_id}/map.svg"),
        Scenario("page_initiative_rollup", "Initiative roll-up page", f"/initiatives/{f.initiative_id}/rollup/"),
        Scenario(
            "page_network",
            "Relationship network page (initiative)",
            f"/relationships/?initiative={f.initiative_id}",
        ),
        Scenario("page_region_resources", "Region resources page", f"/resources/{f.region_code}/"),
        Scenario("page_country", "Country page", f"/countries/{code}/"),
        Scenario("page_country_dashboard", "Country dashboard", f"/countries/{code}/dashboard/"),
        Scenario("page_country_rollup", "Country roll-up page", f"/countries/{code}/rollup/"),
        Scenario(
            "page_country_report",
            "Period report, country, one year",
            f"/reports/country/{code}/?start={f.report_start}&end={f.report_end}",
        ),
        Scenario("page_portal", "Partner portal home (partner session)", "/portal/", auth="partner"),
        Scenario(
            "page_portal_coalition",
            f"Partner portal, coalition page ({f.portal_coalition_members} members, partner session)",
            f"/portal/coalitions/{f.portal_coalition_id}/",
            auth="partner",
        ),
        Scenario(
            "api_search",
            f"Search by name, q={f.search_term!r}",
            f"/api/v1/stakeholders/?q={term}",
            auth="token",
            expect_json=True,
        ),
        Scenario("page_search", f"Directory search, q={f.search_term!r}", f"/stakeholders/?q={term}"),
        # The panels the pages above load after their first paint (htmx): each its own request, part
        # of what a reader of the page waits for, so measured and held to the pages' target too.
        *panel_scenarios(f),
    ]


def panel_scenarios(f: Fixtures) -> list[Scenario]:
    from accounts.forms import filter_parameters, saved_filters_panel_url
    from stakeholders.filters import StakeholderFilterSet

    code = f.country_code.lower()
    period = f"start={f.report_start}&end={f.report_end}"
    # The directory's link to its saved-filters panel, as the page signs it (the server shares the key).
    listing = f"country={f.country_id}&sector={f.sector}"
    saved_filters = saved_filters_panel_url(
        "stakeholders:stakeholder_list", filter_parameters(StakeholderFilterSet(None)), listing
    )
    return [
        Scenario("panel_saved_filters", "Panel: the directory's saved filters", saved_filters),
        Scenario(
            "panel_coalition_health", "Panel: big coalition's health", f"/coalitions/{f.big_coalition_id}/health/"
        ),
        Scenario(
            "panel_coalition_records", "Panel: big coalition's records", f"/coalitions/{f.big_coalition_id}/records/"
        ),
        Scenario("panel_initiative_map", "Panel: initiative's stakeholder map", f"/initiatives/{f.initiative_id}/map/"),
        Scenario(
            "panel_initiative_activity",
            "Panel: initiative's recent activity",
            f"/initiatives/{f.initiative_id}/activity/",
        ),
        Scenario(
            "panel_initiative_indicators",
            "Panel: initiative's plan objectives and indicators",
            f"/initiatives/{f.initiative_id}/indicators/",
        ),
        Scenario("panel_country_coalitions", "Panel: country's coalitions", f"/countries/{code}/panels/coalitions/"),
        Scenario("panel_country_regions", "Panel: country's regions worked in", f"/countries/{code}/panels/regions/"),
        Scenario(
            "panel_dashboard_activity", "Panel: country dashboard's activity", f"/countries/{code}/dashboard/activity/"
        ),
        Scenario(
            "panel_report_summary",
            "Panel: one-year country report's summary",
            f"/reports/country/{code}/sections/summary/?{period}",
        ),
        Scenario(
            "panel_report_moves",
            "Panel: one-year country report's moves",
            f"/reports/country/{code}/sections/moves/?{period}",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def server_environment(database_url: str) -> dict[str, str]:
    """Production-like settings, on loopback without TLS."""
    from django.conf import settings

    # The harness signs the session cookie it hands to wrk, so the server must share its key.
    secret = settings.SECRET_KEY if settings.configured else SECRET_KEY
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "600",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
        "LOG_LEVEL": "WARNING",
        # The throttles still run (their cost is part of every API request), but 16 connections
        # on one token must measure the endpoint, not a stream of 429s.
        "API_THROTTLE_TOKEN": "100000000/minute",
        "API_THROTTLE_IP": "100000000/minute",
    }


@contextmanager
def gunicorn(database_url: str, port: int, workers: int, log, extra_env: dict[str, str] | None = None):
    """Gunicorn with sync workers on 127.0.0.1:port; yields the master's pid."""
    env = server_environment(database_url) | (extra_env or {})
    if not static_files_fresh():
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
            check=True,
            cwd=ROOT,
            env=env,
        )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    import redis

    redis.Redis.from_url(env["CACHE_URL"]).flushdb()
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 120  # three workers importing Django take over 30 s on a loaded machine
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/minimal/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        log(f"gunicorn up on 127.0.0.1:{port} with {workers} sync workers")
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def static_files_fresh() -> bool:
    """Whether the collected files (and their manifest) are newer than every source file.

    Collecting and compressing takes about ten seconds, too long to repeat for the smoke test.
    """
    from django.contrib.staticfiles.finders import get_finders

    manifest = ROOT / "bench" / ".staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return False
    return True


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def headers_for(scenario: Scenario, fixtures: Fixtures) -> dict[str, str]:
    if scenario.auth == "token":
        return {"Authorization": f"Token {fixtures.token}"}
    if scenario.auth == "session":
        return {"Cookie": f"sessionid={fixtures.session}"}
    if scenario.auth == "partner":
        return {"Cookie": f"sessionid={fixtures.partner_session}"}
    return {}


def probe(scenario: Scenario, base: str, fixtures: Fixtures, samples: int = 5) -> None:
    """Check the scenario answers 200, and count its queries and database time."""
    from django.urls import Resolver404, resolve

    try:
        resolve(scenario.path.split("?")[0], urlconf="bench.urls")
    except Resolver404:
        scenario.available, scenario.why_not = False, "not available: no such URL in this build"
        return
    db_times, walls, counts = [], [], []
    for _ in range(samples + 1):
        request = urllib.request.Request(  # noqa: S310 - loopback
            base + scenario.path, headers={**headers_for(scenario, fixtures), "X-Bench-Count": "1"}
        )
        try:
            started = time.monotonic()
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                body = response.read()
                walls.append((time.monotonic() - started) * 1000)
                status = response.status
                counts.append(int(response.headers.get("X-Bench-Queries", "-1")))
                db_times.append(float(response.headers.get("X-Bench-DB-ms", "nan")))
        except urllib.error.HTTPError as error:
            scenario.available = False
            scenario.why_not = (
                "not available: 404 (endpoint not in this build)"
                if error.code == 404
                else f"error: answered {error.code}"
            )
            return
        if status != 200 or (scenario.expect_json and body.lstrip()[:1] not in (b"{", b"[")):
            scenario.available, scenario.why_not = False, f"error: answered {status} without JSON"
            return
    # The fewest: a worker's first request also opens its database connection (setup queries), and
    # which worker answers which probe is up to gunicorn.
    scenario.queries = min(counts)
    scenario.db_ms = statistics.median(db_times[1:])  # the first request warms the worker
    scenario.alone_ms = statistics.median(walls[1:])
    if scenario.alone_ms > SLOW_MS:
        # 16 connections on a page that takes seconds alone would only queue requests past wrk's
        # timeout, and the queue would still be draining into the next scenario's measurement.
        scenario.too_slow = True
        scenario.measure_load = False


def run_wrk(url: str, headers: dict[str, str], duration: float, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "-s",
        str(LUA),
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("BENCHJSON "))
    return json.loads(line.removeprefix("BENCHJSON "))


def measure(scenario: Scenario, base: str, fixtures: Fixtures, master: int, args) -> dict:
    headers = headers_for(scenario, fixtures)
    url = base + scenario.path
    if args.warmup:
        run_wrk(url, headers, args.warmup, args.connections, args.threads)
        drain(base)
    # A slow page needs longer than a fast one for each of the 16 connections to see a few answers:
    # the queue ahead of a request holds connections/workers requests.
    per_request_s = (scenario.alone_ms or 0) / 1000
    duration = max(args.duration, math.ceil(per_request_s * args.connections / args.workers * 4))
    pids = worker_pids(master)
    before = cpu_ticks(pids)
    raw = run_wrk(url, headers, duration, args.connections, args.threads)
    ticks = cpu_ticks(pids) - before
    drain(base)
    requests = max(raw["requests"], 1)
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "duration_s": duration,
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "cpu_ms_per_request": ticks / os.sysconf("SC_CLK_TCK") * 1000 / requests,
        "requests": raw["requests"],
        "errors": errors,
        "error_detail": raw["errors"],
    }


def drain(base: str, timeout: float = 120) -> None:
    """Wait until the workers are idle again (requests wrk gave up on may still be queued)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/bench/baseline/minimal/", timeout=5):  # noqa: S310
                if time.monotonic() - started < 0.2:
                    return
        except (urllib.error.URLError, TimeoutError):
            pass
        time.sleep(0.5)


def measure_import(rows: int, database_url: str, log) -> dict:
    """Time `import_data stakeholders` on a `rows`-line CSV in its own process (wall time, peak RSS).

    The imported rows are removed afterwards, so the scenarios and the next run see the seeded data.
    """
    from bench.data import stakeholder_csv
    from stakeholders.models import Stakeholder

    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as handle:
        handle.write(stakeholder_csv(rows, prefix=IMPORT_PREFIX))
        path = handle.name
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        try:
            started = time.monotonic()
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "import_data", "stakeholders", path],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": SECRET_KEY},
                stdout=out,
                stderr=err,
            )
            # wait4 gives this child's own peak RSS, whatever else this process has run.
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            os.unlink(path)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"import failed: {stderr[-2000:]}")
    peak = usage.ru_maxrss / 1024  # kB on Linux
    created = _remove_imported(Stakeholder)
    cpu = usage.ru_utime + usage.ru_stime
    log(f"import of {rows:,} rows: {seconds:.2f} s ({cpu:.2f} s CPU), peak RSS {peak:.0f} MB ({stdout.strip()})")
    return {"rows": rows, "created": created, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak}


def _remove_imported(stakeholder_model) -> int:
    """Delete the imported rows and their history in three statements (no cascade: nothing refers to
    them yet), so that a run after another measures an import into the same tables."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from core.models import ObjectChange

    table = stakeholder_model._meta.db_table
    regions = stakeholder_model.regions.through._meta.db_table
    history = ObjectChange._meta.db_table
    pattern = IMPORT_PREFIX + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {history} WHERE content_type_id = %s AND object_id IN "  # noqa: S608
            f"(SELECT id FROM {table} WHERE name LIKE %s)",
            [ContentType.objects.get_for_model(stakeholder_model).pk, pattern],
        )
        cursor.execute(
            f"DELETE FROM {regions} WHERE stakeholder_id IN (SELECT id FROM {table} WHERE name LIKE %s)",  # noqa: S608
            [pattern],
        )
        cursor.execute(f"DELETE FROM {table} WHERE name LIKE %s", [pattern])  # noqa: S608
        created = cursor.rowcount
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for name in (table, regions):
                cursor.execute(f"VACUUM ANALYZE {name}")
    return created


def settle_database(log) -> None:
    """VACUUM ANALYZE before measuring: the state autovacuum keeps a running site in.

    Fresh bulk-loaded (or just deleted) rows leave the visibility map unset and GIN indexes with
    pending entries, which make index-only scans and trigram searches look several times slower
    than they are on a database in service.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"database vacuumed and analysed in {time.monotonic() - started:.1f} s")


#: One search of each kind people type (core.search), besides the fixtures' own term: the target
#: holds for each of them.
SEARCH_TERM_CLASSES = {
    "short": "al",  # only short words: the start of a name
    "common": "alcaldia",  # about one name in fifty
    "long": "fundacion agua viva sostenible",
    "words out of order": "andina alcaldia",
    "rare": "quispe 12345",
}


#: The indexes that serve the search (stakeholders 0003 and 0005): trigrams, and the name's prefix.
SEARCH_INDEXES = ("stakeholder_search_name_trgm_idx", "stakeholder_search_name_prefix_idx")


def search_db_time(term: str) -> dict:
    """Database time of the q= search's own queries (page and count), from EXPLAIN ANALYZE, for the
    fixtures' term and (under `classes`) for a term of each kind."""
    result = _search_db_time(term)
    result["classes"] = {kind: _search_db_time(text) | {"term": text} for kind, text in SEARCH_TERM_CLASSES.items()}
    return result


def _search_db_time(term: str) -> dict:
    from django.db import connection

    from core.api.rows import row_plan
    from stakeholders.api.serializers import StakeholderSerializer
    from stakeholders.filters import StakeholderFilterSet
    from stakeholders.models import Stakeholder

    found = StakeholderFilterSet({"q": term}, queryset=Stakeholder.objects.all()).qs
    queries = {
        # The page as the API selects it, with the joins its columns need (a page without them
        # is planned differently and hid the slow plan the API ran).
        "page": row_plan(StakeholderSerializer).page_rows(found, ())[:50].query.sql_with_params(),
        "count": found.order_by().values("pk").query.sql_with_params(),
    }
    result = {}
    for label, (sql, params) in queries.items():
        if label == "count":
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608 - Django's own SQL
        times, plan = [], ""
        for _ in range(6):
            with connection.cursor() as cursor:
                # Without per-node timing: on a virtual machine's clock, timing every row of every node
                # costs more than the search itself, and that is the measurement's cost, not the query's.
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
                explained = cursor.fetchone()[0]
            explained = json.loads(explained) if isinstance(explained, str) else explained
            times.append(explained[0]["Execution Time"] + explained[0]["Planning Time"])
            plan = json.dumps(explained[0]["Plan"])
        result[label] = {
            "ms": statistics.median(times[1:]),
            "uses_trigram_index": any(index in plan for index in SEARCH_INDEXES),
        }
    result["matches"] = found.count()
    return result


def measure_report(country_code: str, start: str, end: str, log) -> dict:
    """A country's period report built in process as the page and the workbook build it: the
    report's figures (`trends.reports.report`) and the XLSX (`report_workbook`), for a staff user."""
    import datetime

    from django.contrib.auth import get_user_model

    from coalitions.rollup import Period
    from countries.models import Country
    from trends import reports
    from trends.report_xlsx import report_workbook

    user = get_user_model().objects.get(username="bench-staff")
    period = Period(start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end))
    started = time.monotonic()
    country = Country.objects.get(code=country_code)
    report = reports.report(scope="country", subject=country, period=period, user=user)
    built = time.monotonic() - started
    workbook = report_workbook(report)
    seconds = time.monotonic() - started
    log(f"report {country_code} {start}..{end}: {built:.2f} s for the figures, {seconds:.2f} s with the XLSX")
    return {
        "country": country_code,
        "start": start,
        "end": end,
        "report_seconds": built,
        "seconds": seconds,
        "xlsx_bytes": len(workbook),
        "engagements": report.engagements_total,
    }


def measure_snapshots(log) -> dict:
    """`take_snapshots` in process: this month's snapshot of every network and coalition (a re-run
    updates them, so the database holds one month's snapshots whatever the number of runs)."""
    from trends.services import snapshots_take

    started = time.monotonic()
    written = snapshots_take(on=None)
    seconds = time.monotonic() - started
    log(f"take_snapshots: {written:,} snapshots in {seconds:.1f} s")
    return {"snapshots": written, "seconds": seconds}


def campaign_unavailable() -> str:
    """Why the campaign cannot be measured in this build, or "" when it can."""
    from django.apps import apps

    for app in ("outbox", "explorers_network"):
        if not apps.is_installed(app):
            return f"not available: the {app} app (issue 5) is not in this build"
    try:
        from explorers_network.services import campaign_start  # noqa: F401
        from outbox.testing import start_sink  # noqa: F401
    except ImportError as error:
        return f"not available: {error}"
    return ""


def measure_campaign(mails: int, database_url: str, smtp_port: int, log) -> dict:
    """Send a Spanish campaign to the seeded explorers through two Celery worker processes and a
    local SMTP sink; time from `campaign_start` until the sink has every message."""
    from celery import current_app
    from django.conf import settings

    from explorers_network.models import Campaign, audience_for
    from explorers_network.services import campaign_start
    from outbox.models import Delivery
    from outbox.testing import start_sink

    audience = audience_for(language="es", countries=[], interest_ids=[]).count()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"why_not": "not measured: no CELERY_BROKER_URL, so there are no worker processes"}
    controller, sink = start_sink(smtp_port)
    env = {
        **server_environment(database_url),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    current_app.control.purge()  # leftovers of an interrupted run
    options = "--concurrency 2 --pool prefork --loglevel WARNING --without-gossip --without-mingle --without-heartbeat"
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", *options.split(" ")],
        cwd=ROOT,
        env=env,
    )
    campaign = None
    celery_rss = None
    try:
        deadline = time.monotonic() + 60
        while not current_app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        campaign = Campaign.objects.create(
            subject="Gobernanza local: novedades",
            body="Hola,\n\n**Novedades** de las coaliciones locales, con [enlaces](https://example.org).",
            language="es",
            state=Campaign.State.SCHEDULED,
            scheduled_for=timezone_now(),
        )
        started = time.monotonic()
        written = campaign_start(campaign_id=campaign.pk)
        queued = time.monotonic() - started
        while sink.count < written and time.monotonic() - started < 600:
            time.sleep(0.1)
        seconds = time.monotonic() - started
        delivered = sink.count
        # The Celery worker's peak memory, its main process and each pool process (not the web worker's).
        pool = [
            int(pid)
            for task in Path(f"/proc/{worker.pid}/task").iterdir()
            for pid in (task / "children").read_text().split()
        ]
        celery_rss = max(peak_rss_mb(pid) for pid in [worker.pid, *pool])
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
        if campaign is not None:
            Delivery.objects.filter(campaign_id=campaign.pk).delete()
            campaign.delete()
    log(f"campaign: {written:,} mails written and queued in {queued:.1f} s, all delivered in {seconds:.1f} s")
    return {
        "audience": audience,
        "mails": written,
        "delivered": delivered,
        "seconds": seconds if delivered >= written else None,
        "queue_seconds": queued,
        "workers": 2,
        "celery_worker_peak_rss_mb": celery_rss,
        "why_not": "" if delivered >= written else f"only {delivered} of {written} delivered within 600 s",
    }


def timezone_now():
    from django.utils import timezone

    return timezone.now()


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def summarise(scenarios: list[Scenario]) -> dict[str, dict]:
    by_name = {s.name: s for s in scenarios}
    summary = {}
    for s in scenarios:
        row = {"title": s.title, "path": s.path, "available": s.available, "why_not": s.why_not}
        row["query_budget_only"] = s.budget_only
        if s.available:
            row["queries"], row["db_ms"], row["alone_ms"] = s.queries, s.db_ms, s.alone_ms
            if s.too_slow:
                row["why_not"] = f"too slow to load-test: {s.alone_ms:,.0f} ms per request on an idle server"
        if s.available and s.rounds:
            med = {key: statistics.median(r[key] for r in s.rounds) for key in s.rounds[0] if key != "error_detail"}
            row.update(med)
            for baseline, key in (("baseline_minimal", "ratio_a"), ("baseline_values", "ratio_c")):
                base = by_name.get(baseline)
                if base and base.rounds and len(base.rounds) == len(s.rounds):
                    # Per round, against the baseline measured in that same round, then the median.
                    row[key] = statistics.median(
                        r["rps"] / b["rps"] for r, b in zip(s.rounds, base.rounds, strict=True) if b["rps"]
                    )
            row["tail"] = row["p99_ms"] / row["p50_ms"] if row["p50_ms"] else None
        summary[s.name] = row
    return summary


def check_targets(summary: dict, extra: dict) -> list[dict]:
    checks = []

    def add(target: str, measured, ok: bool | None, detail: str = "") -> None:
        measured = round(measured, 2) if isinstance(measured, float) else measured
        checks.append({"target": target, "measured": measured, "met": ok, "detail": detail})

    for name, row in summary.items():
        minimum = ratio_target(name)
        if minimum is None or row.get("query_budget_only"):
            continue
        label = f"{name} ≥ {minimum:.2f} x (c)"
        if row.get("available") and row.get("why_not", "").startswith("too slow"):
            add(label, None, False, row["why_not"])
        elif not row.get("available") or "ratio_c" not in row:
            add(label, None, None, row.get("why_not") or "not measured")
        else:
            ratio = row["ratio_c"]
            add(label, round(ratio, 3), ratio >= minimum, f"{ratio / minimum - 1:+.0%} vs target")
    for name, row in summary.items():
        if name.startswith("baseline"):
            continue  # the targets are for the scenarios; the baselines are the yardstick
        if row.get("available") and row.get("tail") is not None:
            add(f"{name}: p99 ≤ {TAIL_TARGET:.0f} x p50", round(row["tail"], 2), row["tail"] <= TAIL_TARGET)
        if row.get("available") and row.get("queries") is not None:
            add(f"{name}: queries ≤ {MAX_QUERIES}", row["queries"], row["queries"] <= MAX_QUERIES)
    for name, row in summary.items():
        other = next((s for s in extra.get("pairs", []) if s[0] == name), None)
        if other and row.get("available") and summary.get(other[1], {}).get("available"):
            a, b = row.get("queries"), summary[other[1]].get("queries")
            add(f"{name}: same queries as {other[1]}", f"{a} vs {b}", a == b)
    search = extra.get("search_db")
    if search:
        total = search["page"]["ms"] + search["count"]["ms"]
        add(f"search by name: < {SEARCH_DB_MS} ms database time", round(total, 3), total < SEARCH_DB_MS)
        for kind, row in search.get("classes", {}).items():
            total = row["page"]["ms"] + row["count"]["ms"]
            add(
                f"search, {kind} term {row['term']!r}: < {SEARCH_DB_MS} ms database time",
                round(total, 3),
                total < SEARCH_DB_MS,
                f"{row['matches']:,} matches",
            )
    if extra.get("import"):
        seconds = extra["import"]["seconds"]
        rows = extra["import"]["rows"]
        limit = IMPORT_LARGE_SECONDS if rows >= IMPORT_LARGE_ROWS else IMPORT_SECONDS
        add(f"import of {rows:,} rows ≤ {limit:.0f} s", round(seconds, 2), seconds <= limit, _margin(seconds, limit))
    campaign = extra.get("campaign", {})
    mails = campaign.get("mails") or 10_000
    limit = CAMPAIGN_LARGE_SECONDS if mails >= CAMPAIGN_LARGE_MAILS else CAMPAIGN_SECONDS
    add(
        f"campaign of {mails:,} mails, 2 workers ≤ {limit:.0f} s",
        campaign.get("seconds"),
        None if campaign.get("seconds") is None else campaign["seconds"] <= limit,
        _margin(campaign.get("seconds"), limit) or campaign.get("why_not", ""),
    )
    seed = extra.get("seed") or {}
    if seed.get("stakeholders", 0) >= SEED_LARGE_STAKEHOLDERS:
        add(
            f"seed_scale --stakeholders {seed['stakeholders']:,} < {SEED_LARGE_SECONDS / 60:.0f} min",
            seed["seconds"],
            seed["seconds"] < SEED_LARGE_SECONDS,
            _margin(seed["seconds"], SEED_LARGE_SECONDS),
        )
    report = extra.get("report") or {}
    if report:
        add(
            f"one-year country report ({report.get('country', '')}, page data + XLSX) < {REPORT_SECONDS:.0f} s",
            report.get("seconds"),
            None if report.get("seconds") is None else report["seconds"] < REPORT_SECONDS,
            _margin(report.get("seconds"), REPORT_SECONDS) or report.get("why_not", ""),
        )
    snapshots = extra.get("snapshots") or {}
    if snapshots:
        add(
            f"take_snapshots (every network and coalition) < {SNAPSHOTS_SECONDS:.0f} s",
            snapshots.get("seconds"),
            None if snapshots.get("seconds") is None else snapshots["seconds"] < SNAPSHOTS_SECONDS,
            _margin(snapshots.get("seconds"), SNAPSHOTS_SECONDS) or snapshots.get("why_not", ""),
        )
    rss = extra.get("worker_peak_rss_mb")
    if rss is not None:
        add(f"web worker peak RSS ≤ {WORKER_RSS_MB:.0f} MB", round(rss, 1), rss <= WORKER_RSS_MB)
    streaming = extra.get("streaming_memory")
    if streaming:
        for direction in ("upload", "download"):
            difference = streaming.get(f"{direction}_growth_difference_mb")
            sizes = streaming.get("sizes_mb") or memory.DEFAULT_SIZES_MB
            add(
                f"{direction} of {sizes[-1]} MB vs {sizes[0]} MB: "
                f"worker peak grows < {memory.GROWTH_LIMIT_MB:.0f} MB more",
                difference,
                None if difference is None else difference < memory.GROWTH_LIMIT_MB,
                streaming.get("why_not", ""),
            )
    return checks


def _margin(seconds: float | None, limit: float) -> str:
    """A time against its limit, as the share of the limit left (+) or exceeded (-)."""
    return "" if seconds is None else f"{1 - seconds / limit:+.0%} margin"


def markdown(results: dict) -> str:
    def num(value, fmt="{:.1f}"):
        return "" if value is None else fmt.format(value)

    lines = [
        f"Run {results['finished_at']} · {results['machine']['cpu']} ({results['machine']['cores']} cores), "
        f"{results['machine']['memory_gb']} GB RAM · {results['machine']['postgresql']} · "
        f"{results['scale']['stakeholders']:,} stakeholders · wrk {results['load']['connections']} connections, "
        f"{results['load']['rounds']} rounds x {results['load']['duration_s']} s · gunicorn "
        f"{results['load']['workers']} sync workers",
        "",
        "| Scenario | req/s | p50 ms | p95 ms | p99 ms | app CPU ms/req | queries | x (a) | x (c) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["scenarios"].values():
        if not row["available"]:
            lines.append(f"| {row['title']} | {row['why_not']} | | | | | | | |")
            continue
        if "rps" not in row:  # measured for its query count only, or too slow for load
            note = row["why_not"] or "(query count only)"
            lines.append(f"| {row['title']} | {note} | | | | | {row['queries']} | | |")
            continue
        lines.append(
            f"| {row['title']} | {num(row.get('rps'), '{:.0f}')} | {num(row.get('p50_ms'))} | "
            f"{num(row.get('p95_ms'))} | {num(row.get('p99_ms'))} | {num(row.get('cpu_ms_per_request'), '{:.2f}')} | "
            f"{num(row.get('queries'), '{}')} | {num(row.get('ratio_a'), '{:.2f}')} | "
            f"{num(row.get('ratio_c'), '{:.2f}')} |"
        )
    lines += ["", "| Target | Measured | Met |", "|---|---:|---|"]
    for check in results["targets"]:
        met = {True: "yes", False: "**MISSED**", None: "not measured"}[check["met"]]
        detail = f" ({check['detail']})" if check["detail"] else ""
        lines.append(f"| {check['target']} | {num(check['measured'], '{}')} | {met}{detail} |")
    write = results.get("write_paths", {})
    if write.get("import"):
        imp = write["import"]
        lines += [
            "",
            f"Import: {imp['rows']:,} rows in {imp['seconds']:.2f} s ({imp['cpu_seconds']:.2f} s CPU in the "
            f"importing process; PostgreSQL's time is on top), peak RSS {imp['peak_rss_mb']:.0f} MB. "
            f"Web worker peak RSS after the scenarios: {num(results.get('worker_peak_rss_mb'))} MB.",
        ]
    if write.get("report"):
        rep = write["report"]
        lines += [
            "",
            f"Period report {rep['country']} {rep['start']}..{rep['end']} (in process, staff user): figures in "
            f"{rep['report_seconds']:.2f} s, with the XLSX ({rep['xlsx_bytes']:,} bytes) {rep['seconds']:.2f} s.",
        ]
    if write.get("seed"):
        lines += ["", f"seed_scale --stakeholders {write['seed']['stakeholders']:,}: {write['seed']['seconds']:.1f} s."]
    if write.get("snapshots"):
        snap = write["snapshots"]
        lines += ["", f"take_snapshots: {snap['snapshots']:,} snapshots in {snap['seconds']:.1f} s."]
    campaign = write.get("campaign") or {}
    if campaign.get("seconds") is not None:
        lines += [
            "",
            f"Campaign: {campaign['mails']:,} mails with {campaign['workers']} workers in {campaign['seconds']:.1f} s "
            f"(queued in {campaign['queue_seconds']:.1f} s); Celery worker peak RSS "
            f"{num(campaign.get('celery_worker_peak_rss_mb'))} MB.",
        ]
    streaming = results.get("streaming_memory") or {}
    if streaming.get("rows"):
        lines += [
            "",
            "| File (API upload, then download) | worker before MB | upload peak growth MB | download peak growth MB |",
        ]
        lines.append("|---|---:|---:|---:|")
        for row in streaming["rows"]:
            lines.append(
                f"| {row['size_mb']} MB | {row['rss_before_mb']:.1f} | {row['upload_growth_mb']:.2f} | "
                f"{row['download_growth_mb']:.2f} |"
            )
    elif streaming.get("why_not"):
        lines += ["", f"Streaming memory: {streaming['why_not']}."]
    search = results.get("search_db")
    if search:
        lines.append(
            f"Search {search['term']!r} ({search['matches']} matches): page query {search['page']['ms']:.2f} ms, "
            f"count query {search['count']['ms']:.2f} ms of database time (planning and execution, "
            "EXPLAIN ANALYZE without per-node timing, median of 5)."
        )
        for kind, row in search.get("classes", {}).items():
            lines.append(
                f"- {kind} {row['term']!r} ({row['matches']:,} matches): page {row['page']['ms']:.2f} ms, "
                f"count {row['count']['ms']:.2f} ms."
            )
    return "\n".join(lines) + "\n"


def machine() -> dict:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "load_average_at_start": os.getloadavg(),
    }


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def bench(args, database_url: str, log=print, seeded_seconds: float | None = None) -> dict:
    """Everything after the database is ready: import, scenarios, report. Returns the results.

    `seeded_seconds`: how long `seed_scale` took, when this run seeded the database."""
    from django.db import connection

    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    info = machine()
    fixtures = create_fixtures()
    write_paths = {}
    if seeded_seconds is not None:
        write_paths["seed"] = {"stakeholders": args.stakeholders, "seconds": seeded_seconds}
    settle_database(log)  # after seeding, autovacuum would otherwise work through 430,000 new rows during the import
    if args.import_rows:
        write_paths["import"] = measure_import(args.import_rows, database_url, log)
    if args.campaign:
        why_not = campaign_unavailable()
        write_paths["campaign"] = (
            {"why_not": why_not} if why_not else measure_campaign(args.campaign, database_url, args.port + 25, log)
        )
    else:
        write_paths["campaign"] = {"why_not": "not measured (--campaign 0)"}
    if args.bulk:
        write_paths["report"] = measure_report(fixtures.country_code, fixtures.report_start, fixtures.report_end, log)
        write_paths["snapshots"] = measure_snapshots(log)
    settle_database(log)
    search = search_db_time(fixtures.search_term) | {"term": fixtures.search_term}
    scenarios = scenarios_for(fixtures)
    if args.only:
        scenarios = [s for s in scenarios if s.name.startswith("baseline") or s.name in args.only]
    if args.load is not None:  # the others are probed only: their status and query count
        for s in scenarios:
            s.measure_load = s.measure_load and (s.name.startswith("baseline") or s.name in args.load)
    connection.close()  # gunicorn's workers open their own

    base = f"http://127.0.0.1:{args.port}"
    with gunicorn(database_url, args.port, args.workers, log) as master:
        for scenario in scenarios:
            probe(scenario, base, fixtures, samples=args.probes)
            status = f"{scenario.queries} queries" if scenario.available else scenario.why_not
            log(f"  {scenario.name}: {status}")
        for round_number in range(1, args.rounds + 1):
            for scenario in scenarios:
                if scenario.available and scenario.measure_load:
                    scenario.rounds.append(measure(scenario, base, fixtures, master, args))
                    last = scenario.rounds[-1]
                    log(
                        f"round {round_number} {scenario.name}: {last['rps']:.0f} req/s, "
                        f"p50 {last['p50_ms']:.1f} ms, p99 {last['p99_ms']:.1f} ms"
                    )
        worker_rss = max((peak_rss_mb(pid) for pid in worker_pids(master)), default=None)
    streaming = None
    if args.memory_sizes and (not args.only or "streaming_memory" in args.only):
        if fixtures.engagement_id is None:
            streaming = {"why_not": "not available: no engagement to attach files to"}
        else:

            def server(port, workers, extra_env):
                return gunicorn(database_url, port, workers, log, extra_env)

            streaming = memory.streaming_memory(
                server,
                args.port + 2,
                fixtures.token,
                ("coalitions.engagement", fixtures.engagement_id),
                args.memory_sizes,
                log,
            )
        connection.close()

    pairs = [(s.name, s.same_queries_as) for s in scenarios if s.same_queries_as]
    summary = summarise(scenarios)
    extra = {
        "pairs": pairs,
        "search_db": search,
        "import": write_paths.get("import"),
        "campaign": write_paths["campaign"],
        "report": write_paths.get("report"),
        "seed": write_paths.get("seed"),
        "snapshots": write_paths.get("snapshots"),
        "worker_peak_rss_mb": worker_rss,
        "streaming_memory": streaming,
    }
    return {
        "started_at": started,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": info,
        "scale": {"stakeholders": args.stakeholders},
        "load": {
            "tool": "wrk",
            "connections": args.connections,
            "threads": args.threads,
            "rounds": args.rounds,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "workers": args.workers,
        },
        "scenarios": summary,
        "rounds": {s.name: s.rounds for s in scenarios},
        "search_db": search,
        "write_paths": write_paths,
        "worker_peak_rss_mb": worker_rss,
        "streaming_memory": streaming,
        "targets": check_targets(summary, extra),
        "scenario_definitions": [asdict(s) | {"rounds": None} for s in scenarios],
    }


def write_results(results: dict, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / "latest.json", directory / "latest.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stakeholders", type=int, default=50_000)
    p.add_argument("--rounds", type=int, default=3)
    # 4 s (8 before the pages of issue 18 doubled the scenarios): about the same total run time.
    p.add_argument("--duration", type=int, default=4, help="seconds of load per scenario and round")
    p.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load before each")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    p.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8600")))
    p.add_argument("--import-rows", type=int, default=None, help="rows of the import test (default: the scale)")
    p.add_argument("--campaign", type=int, default=1, help="0 skips the campaign (it needs Redis)")
    p.add_argument("--bulk", type=int, default=1, help="0 skips the period report and take_snapshots timings")
    p.add_argument("--probes", type=int, default=5, help="requests per scenario to count its queries (after one)")
    p.add_argument("--load", nargs="*", help="scenario names to load-test (default: all); the others are only probed")
    p.add_argument("--only", nargs="*", help="scenario names to run (the baselines always run), streaming_memory too")
    p.add_argument(
        "--memory-sizes",
        type=int,
        nargs="*",
        default=list(memory.DEFAULT_SIZES_MB),
        help="MB of the files the streaming scenario uploads and downloads (none: skip it)",
    )
    p.add_argument("--results", type=Path, default=RESULTS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.import_rows is None:
        args.import_rows = args.stakeholders
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk (make bench does this)", file=sys.stderr)
        return 2
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.update(server_environment(database_url))
    os.environ["DEBUG"] = "1"  # the harness itself (seeding, fixtures) is not the server under test
    # The campaign's tasks go to the Celery workers through Redis (database 9 by default).
    os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("BENCH_CELERY_BROKER_URL", DEFAULT_BROKER_URL))
    log = functools.partial(print, flush=True)
    seeded = prepare_database(database_url, args.stakeholders, log)

    import django

    django.setup()
    results = bench(args, database_url, log, seeded_seconds=seeded)
    json_path, md_path = write_results(results, args.results)
    print()
    print(md_path.read_text())
    print(f"Written {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
