"""Fixtures shared by every app: a small world of two countries and the personas who use it.

Personas (STYLE.md): the owner (staff of the country, or the partner organisation), a
colleague, and an outsider who must see nothing. `world` is built once per test through
factories; tests that need more add it themselves.
"""

import datetime
import functools
from types import SimpleNamespace

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coalitions.models import Assessment, Coalition, Commitment, Engagement, Initiative, Membership, Outcome
from countries.iso import load_iso_regions
from countries.models import Country, Municipality, Region
from countries.municipalities import load_municipalities
from stakeholders.models import Contact, Stakeholder

PASSWORD = "correct-horse-battery"


def pytest_sessionstart(session):
    """Compile the Spanish catalogues first (cheap when up to date), so `pytest` alone works too."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def database_blocker(django_db_blocker):
    """Kept for `pytest_runtest_teardown`, which runs outside any fixture."""
    global DATABASE_BLOCKER
    DATABASE_BLOCKER = django_db_blocker
    return django_db_blocker


DATABASE_BLOCKER = None


def flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(marked) or "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


@functools.cache
def migrated_apps():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state().apps


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, browser) ends by flushing every table, the rows the data
    migrations loaded (countries, regions, municipalities) included. Put them back at once, so the tests that
    follow see the database a migrated install has, in whatever order the tests run."""
    result = yield
    # After the session's last test the test database is gone (nothing follows to need the rows).
    if nextitem is not None and DATABASE_BLOCKER is not None and flushes_the_database(item):
        with DATABASE_BLOCKER.unblock():
            if not Municipality.objects.exists():
                # As the data migrations do: through the historical models, so that the rows
                # reach no history (a later test may count the history) and no cache.
                historical = migrated_apps()
                models = [historical.get_model("countries", name) for name in ("Country", "Region", "Municipality")]
                if not Region.objects.exists():
                    load_iso_regions(*models[:2])
                load_municipalities(*models)
    return result


@pytest.fixture(autouse=True)
def tasks_run_in_process(request, settings):
    """Run Celery tasks in-process, as `make run` does, even when CI sets a broker.

    Tests marked `real_broker` (the reliability tests with a real worker) opt out.
    """
    if request.node.get_closest_marker("real_broker"):
        yield
        return
    from config.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (attachments) of each test in a folder of its own, never the repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness adds seconds per test and tests nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """Tests sign in with a password alone unless they turn two-factor on (accounts/tests do)."""
    settings.TWO_FACTOR_REQUIRED_ROLES = set()


@pytest.fixture(autouse=True)
def clear_cache():
    """Throttle counters (and anything else cached) must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, django_user_model):
    """Colombia and Peru, one initiative and coalition each, a partner organisation in each coalition."""
    co = Country.objects.get(code="CO")
    pe = Country.objects.get(code="PE")
    guajira = Region.objects.get(code="CO-LAG")
    moquegua = Region.objects.get(code="PE-MOQ")

    def stakeholder(country, name, sector=Stakeholder.Sector.CIVIL_SOCIETY, **kw):
        return Stakeholder.objects.create(country=country, name=name, sector=sector, level="subnational", **kw)

    co_org = stakeholder(co, "Fundación Energía Wayuu")
    co_mayor = stakeholder(co, "Alcaldía de Uribia", Stakeholder.Sector.SUBNATIONAL_GOVERNMENT)
    pe_org = stakeholder(pe, "Asociación Moquegua Transparente")
    pe_company = stakeholder(pe, "Minera del Sur", Stakeholder.Sector.EXTRACTIVE_ENERGY)
    co_contact = Contact.objects.create(
        stakeholder=co_mayor, name="Ana Pérez", email="ana@example.org", phone="+57 300"
    )
    pe_contact = Contact.objects.create(stakeholder=pe_org, name="Luis Rojas", email="luis@example.org")

    co_initiative = Initiative.objects.create(
        country=co, level="national", name="Comunidades Energéticas", shared_objective="Energy communities"
    )
    pe_initiative = Initiative.objects.create(
        country=pe, level="subnational", name="Plan de Desarrollo Moquegua", shared_objective="Use the canon well"
    )
    co_coalition = Coalition.objects.create(
        initiative=co_initiative, name="Coalición La Guajira", level="local", shared_goal="Solar for Uribia"
    )
    co_coalition.regions.add(guajira)
    pe_coalition = Coalition.objects.create(
        initiative=pe_initiative, name="Comunidad de aprendizaje Moquegua", level="subnational", shared_goal="Canon"
    )
    pe_coalition.regions.add(moquegua)
    today = datetime.date(2026, 1, 15)
    for coalition, members in ((co_coalition, (co_org, co_mayor)), (pe_coalition, (pe_org, pe_company))):
        for member in members:
            Membership.objects.create(coalition=coalition, stakeholder=member, joined_on=today)
    co_commitment = Commitment.objects.create(coalition=co_coalition, owner=co_org, description="Map rooftops")
    pe_commitment = Commitment.objects.create(coalition=pe_coalition, owner=pe_org, description="Publish budget")
    co_engagement = Engagement.objects.create(
        coalition=co_coalition, occurred_on=today, kind="workshop", title="Taller Uribia"
    )
    pe_engagement = Engagement.objects.create(
        coalition=pe_coalition, occurred_on=today, kind="meeting", title="Reunión Moquegua"
    )
    co_outcome = Outcome.objects.create(coalition=co_coalition, description="Mayor funds solar", observed_on=today)
    pe_outcome = Outcome.objects.create(coalition=pe_coalition, description="Budget published", observed_on=today)
    co_assessment = Assessment.objects.create(
        stakeholder=co_mayor, initiative=co_initiative, assessed_on=today, power=4, capabilities=3, interest=2
    )
    pe_assessment = Assessment.objects.create(
        stakeholder=pe_company, initiative=pe_initiative, assessed_on=today, power=5, capabilities=5, interest=2
    )

    def user(username, **fields):
        countries = fields.pop("countries", ())
        account = django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)
        account.country_teams.set(countries)
        return account

    return SimpleNamespace(
        co=co,
        pe=pe,
        guajira=guajira,
        moquegua=moquegua,
        co_org=co_org,
        co_mayor=co_mayor,
        pe_org=pe_org,
        pe_company=pe_company,
        co_contact=co_contact,
        pe_contact=pe_contact,
        co_initiative=co_initiative,
        pe_initiative=pe_initiative,
        co_coalition=co_coalition,
        pe_coalition=pe_coalition,
        co_commitment=co_commitment,
        pe_commitment=pe_commitment,
        co_engagement=co_engagement,
        pe_engagement=pe_engagement,
        co_outcome=co_outcome,
        pe_outcome=pe_outcome,
        co_assessment=co_assessment,
        pe_assessment=pe_assessment,
        admin=user("admin", is_superuser=True, is_staff=True, role="admin"),
        staff_co=user("staff-co", role="staff", countries=[co]),
        staff_pe=user("staff-pe", role="staff", countries=[pe]),
        partner_co=user("partner-co", role="partner", organisation=co_org),
        partner_pe=user("partner-pe", role="partner", organisation=pe_org),
    )


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin_client(world):
    return _logged_in(world.admin)


@pytest.fixture
def staff_client(world):
    """Staff of Colombia's team: the owner of Colombian records."""
    return _logged_in(world.staff_co)


@pytest.fixture
def other_staff_client(world):
    """Staff of Peru's team: reads Colombian records, may not change them."""
    return _logged_in(world.staff_pe)


@pytest.fixture
def partner_client(world):
    return _logged_in(world.partner_co)


@pytest.fixture
def other_partner_client(world):
    """Partner of a Peruvian coalition: must see nothing Colombian."""
    return _logged_in(world.partner_pe)


@pytest.fixture
def staff_api(world):
    return _api(world.staff_co)


@pytest.fixture
def partner_api(world):
    return _api(world.partner_co)


@pytest.fixture
def other_partner_api(world):
    return _api(world.partner_pe)


@pytest.fixture
def browser_page(live_server, world, monkeypatch):
    """A Playwright page in Debian's headless Chromium, and a `login(user)` helper.

    Skips without Chromium (fails under REQUIRE_SERVICES=1). Screenshots go to
    test-artifacts/ (ignored by git) via `page.screenshot(path=artifact("name.png"))`.
    """
    from core.testing import chromium_path, require_service

    executable = chromium_path()
    require_service("Chromium", bool(executable), "apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous and safe. Set for this test only: left in the
    # environment it reaches later subprocesses, and `check --deploy` rightly refuses it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)

        def login(user, password=PASSWORD):
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(user.username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()

        page.login = login
        page.live_server_url = live_server.url
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def artifact():
    """Path for a test artifact (screenshots), under test-artifacts/ which git ignores."""
    from pathlib import Path

    folder = Path(__file__).parent / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return lambda name: str(folder / name)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in Spanish leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
