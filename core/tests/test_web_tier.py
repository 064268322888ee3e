"""A stateless web tier: two gunicorn processes (two workers each) on different ports, behind one
PostgreSQL database and one Redis cache, serve a user's session and share every limit.

Needs PostgreSQL (the servers are other processes and must see the test's committed rows) and
Redis (DB 3); skipped without them, failed under REQUIRE_SERVICES=1. The servers start once for
the module, with production settings (`DEBUG=0`, see web_tier_settings.py), the test process as
their trusted proxy (127.0.0.1) and 127.0.0.2 as a client reaching them directly.

The project keeps no uploaded files yet (the CSV imports read the file within the request), so
there is no upload to serve from the other process: `MEDIA_ROOT` is one setting every process
reads from the environment (core/tests/test_settings.py).
"""

import http.client
import http.cookies
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.conf import global_settings
from django.db import connection

from accounts.services import api_token_create
from core.testing import require_service
from outbox.testing import Process, free_port, redis_available

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/3"
TOKEN_LIMIT, IP_LIMIT = 10, 4
PROXY, DIRECT_CLIENT = "127.0.0.1", "127.0.0.2"
PASSWORD = "a-real-password-for-pbkdf2"
API = "/api/v1/countries/"


@dataclass
class Server:
    port: int
    process: Process
    log: str


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    require_service("Redis", redis_available(REDIS_URL), REDIS_URL)
    folder = tmp_path_factory.mktemp("web-tier")
    db = connection.settings_dict
    env = {
        "DJANGO_SETTINGS_MODULE": "core.tests.web_tier_settings",
        "DEBUG": "0",
        "SECRET_KEY": "web-tier-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CONN_MAX_AGE": "0",  # the test empties the tables between tests; no connection is left open
        "CACHE_URL": REDIS_URL,
        "CELERY_BROKER_URL": "",
        "TRUSTED_PROXIES": PROXY,
        "API_THROTTLE_TOKEN": f"{TOKEN_LIMIT}/minute",
        "API_THROTTLE_IP": f"{IP_LIMIT}/minute",
        "TWO_FACTOR_REQUIRED_ROLES": "",
        "MEDIA_ROOT": str(folder / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
    }
    started = []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = str(folder / f"gunicorn-{name}.log")
            args = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            args += ["--workers", "2", "--preload", "--log-level", "warning"]
            started.append(Server(port, Process(args, env, log).start(), log))
        for server in started:
            wait_until_serving(server)
        yield started
    finally:
        for server in started:
            server.process.stop()


def wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.popen.poll() is not None:
            break
        try:
            if get(server, "/accounts/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    with open(server.log) as log:
        pytest.fail(f"gunicorn on port {server.port} did not start:\n{log.read()[-3000:]}")


@pytest.fixture(autouse=True)
def fresh_limits(servers):
    """Each test starts with empty counters (and no cached schema) in the servers' Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()
    client.close()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    cookies: dict[str, str] = field(default_factory=dict)


def request(server: Server, method: str, path: str, *, source: str = PROXY, **kwargs) -> Answer:
    """One request from `source` (the proxy's address or a direct client's), cookies sent as given:
    the servers mark them Secure, and this plain-HTTP client sends them back anyway."""
    headers = dict(kwargs.get("headers") or {})
    if kwargs.get("cookies"):
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in kwargs["cookies"].items())
    body = None
    if kwargs.get("form") is not None:
        body = urlencode(kwargs["form"])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        answer = Answer(response.status, response.headers, response.read().decode())
    finally:
        conn.close()
    for line in answer.headers.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie(line)
        answer.cookies.update({name: morsel.value for name, morsel in cookie.items()})
    return answer


def get(server: Server, path: str, **kwargs) -> Answer:
    return request(server, "GET", path, **kwargs)


def token_for(user) -> str:
    return api_token_create(user=user)[1]


def api_statuses(servers, calls: list[dict]) -> list[int]:
    """The calls' statuses, sent eight at a time, alternating between the two servers."""

    def call(numbered: tuple[int, dict]) -> int:
        n, options = numbered
        headers = {"Authorization": f"Token {options['token']}", **options.get("headers", {})}
        return get(servers[n % 2], API, headers=headers, source=options.get("source", PROXY)).status

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(call, enumerate(calls)))


@pytest.fixture
def api_user(django_user_model):
    return django_user_model.objects.create_user(username="api-web", password=PASSWORD, role="staff")


def test_an_api_limit_lets_exactly_n_through_across_both_processes(servers, api_user):
    token = token_for(api_user)
    # Through the proxy, each request from a client of its own: only the token's limit applies.
    calls = [{"token": token, "headers": {"X-Forwarded-For": f"198.51.100.{n}"}} for n in range(3 * TOKEN_LIMIT)]
    statuses = api_statuses(servers, calls)
    assert statuses.count(200) == TOKEN_LIMIT, statuses
    assert statuses.count(429) == 2 * TOKEN_LIMIT, statuses


def test_a_forged_forwarded_for_gets_no_extra_budget(servers, api_user):
    token = token_for(api_user)
    calls = [
        {"token": token, "source": DIRECT_CLIENT, "headers": {"X-Forwarded-For": f"203.0.113.{n}"}}
        for n in range(3 * IP_LIMIT)
    ]
    statuses = api_statuses(servers, calls)
    assert statuses.count(200) == IP_LIMIT, statuses  # one address, whatever the header said


def test_behind_the_trusted_proxy_each_client_has_its_own_budget(servers, api_user):
    calls = []
    for client in ("198.51.100.7", "198.51.100.8"):
        token = token_for(api_user)
        # The client's own entry on the left is its word; the proxy's on the right is what counts.
        calls += [{"token": token, "headers": {"X-Forwarded-For": f"6.6.6.{n}, {client}"}} for n in range(IP_LIMIT + 2)]
    statuses = api_statuses(servers, calls)
    half = IP_LIMIT + 2
    assert statuses[:half].count(200) == IP_LIMIT, statuses
    assert statuses[half:].count(200) == IP_LIMIT, statuses


def test_a_user_signed_in_on_one_process_is_signed_in_on_the_other(servers, django_user_model, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # what the servers check against
    django_user_model.objects.create_user(username="staff-web", password=PASSWORD, role="staff")
    a, b = servers
    page = get(a, "/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    cookies = dict(page.cookies)
    signed_in = request(
        a,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        form={"username": "staff-web", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    assert signed_in.status == 302, signed_in.body[:2000]
    cookies.update(signed_in.cookies)
    assert "sessionid" in cookies

    assert get(b, "/countries/").status == 302  # no session: sent to sign in
    on_b = get(b, "/countries/", cookies=cookies)
    assert on_b.status == 200
    assert '<span class="user-name">staff-web</span>' in on_b.body

    signed_out = request(b, "POST", "/accounts/logout/", cookies=cookies, headers={"X-CSRFToken": cookies["csrftoken"]})
    assert signed_out.status == 302
    assert get(a, "/countries/", cookies=cookies).status == 302  # signed out on B is signed out on A


def test_a_form_limit_counts_across_both_processes_per_visitor_behind_the_proxy(servers):
    """The contact form takes five messages an hour from one visitor, whichever process answers."""
    page = get(servers[0], "/contact/")
    cookies = dict(page.cookies)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    message = {"name": "Nadia", "country": "CO", "email": "nadia@example.org", "message": "Hello", "website": ""}

    def send(n: int, visitor: str) -> int:
        headers = {"X-Forwarded-For": visitor}
        form = {**message, "csrfmiddlewaretoken": csrf}
        return request(servers[n % 2], "POST", "/contact/", cookies=cookies, headers=headers, form=form).status

    assert [send(n, "198.51.100.20") for n in range(6)] == [302] * 5 + [429]
    assert send(0, "198.51.100.21") == 302
