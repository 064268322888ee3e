"""No input answers 500: generated from the URL resolver, every route, as each persona, with hostile
path and query values of many classes.

Every route the resolver knows (pages, the API, the public pages, the admin as the admin) gets
FUZZ_ROUTE_SAMPLES requests per persona (3 in `make test`, many more in `make fuzz`). Each request
fills the route's path parameters with either a real row's id (so the view runs and reads its
query) or a hostile value, and adds a few query parameters (the route's own filters, the
pagination's, the admin's, any FilterSet's) with hostile values. Which values is drawn from a
random generator seeded with the route, the persona and the sample number: a run is repeatable,
and a failure names the URL to try by hand. A route added tomorrow is fuzzed the day it is added.
"""

import base64
import os
import random
import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.testing import response_body

from .api_resources import RESOURCES, make_rows
from .filtersets import all_filtersets

pytestmark = pytest.mark.django_db

SAMPLES = int(os.environ.get("FUZZ_ROUTE_SAMPLES", "3"))


class Raw(str):
    """A value put in the URL as it is (already percent-encoded, possibly not valid UTF-8)."""


def b64(text: bytes) -> str:
    return base64.b64encode(text).decode()


INTS = [
    "0",
    "-1",
    "+1",
    "1.5",
    "1e3",
    "0x1F",
    " 1",
    "1 ",
    "\u0661\u0662",  # Arabic-Indic digits: Python's int() reads them as 12
    "\uff11\uff12",  # fullwidth digits
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "1_000",  # int() accepts the underscore
    "9" * 19,
    "9223372036854775807",
    "9223372036854775808",
    "9" * 40,
    "0" * 30 + "1",
    "NaN",
    "-inf",
]
#: What Django's int converter lets through to the view, and a few it does not.
PATH_INTS = ["0", "9" * 19, "9223372036854775808", "9" * 40, "0" * 30 + "1", "-1", "\u00b2"]
TEXTS = [
    "' OR 1=1 --",
    '"; DROP TABLE stakeholders_stakeholder; --',
    "<script>alert(1)</script>",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07",
    "\r\nSet-Cookie: x=1",
    "A" * 5000,
    "é" * 300,
    "\U0001d7d9\U0001d7da",  # mathematical digits
    "..",
    "%",
    "{}",
    "[]",
    "null",
    "true",
    Raw("%FF%FE"),  # not UTF-8
    Raw("%ED%A0%80"),  # a UTF-16 surrogate, encoded
    Raw("%C0%AE"),  # an overlong encoding of "."
]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "99999-01-01",
    "-2026-01-01",
    "yesterday",
    "2026-01-01T25:61",
    "2026-01-01T00:00:00+99:00",
    "2026-01-01T00:00:00.9999999999Z",
    "1e10",
    "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",
]
CURSORS = [
    "!!!",
    "=",
    "cD0x",
    b64(b"p=abc"),
    b64(b"o=-1&p=1"),
    b64(b"r=1&p=\x00"),
    b64(b"p=" + b"9" * 40),
    b64(b"o=99999999999999999999999&r=1"),
    b64(b"\xff\xfe"),
    "A" * 5000,
]
EVERYTHING = INTS + TEXTS + DATES + CURSORS

#: Parameters that pagination, ordering, formats and the admin read, besides the FilterSets'.
GENERIC_PARAMS = [
    "page",
    "page_size",
    "cursor",
    "mode",
    "ordering",
    "format",
    "q",
    "updated_since",
    "next",
    "o",  # the admin's ordering
    "p",  # the admin's page
    "e",
    "_to_field",
    "_popup",
    "_changelist_filters",
    "all",
    "term",  # admin autocomplete
    "app_label",
    "model_name",
    "field_name",
]

#: Path segments of pages whose model is not named the same (plural) way.
SEGMENT_MODELS = {
    "learning": "coalitions.LearningNote",
    "plans": "planning.DevelopmentPlan",
    "objectives": "planning.PlanObjective",
    "campaigns": "explorers_network.Campaign",
    "contact-requests": "explorers_network.ContactRequest",
    "explorers": "explorers_network.Explorer",
    "entry-points": "planning.EntryPoint",
    "values": "results.IndicatorValue",
}

#: Real values for named string parameters, so the view behind them runs too.
REAL_TEXT = {
    "code": ["CO", "PE", "CO-LAG"],
    "model": ["coalitions.coalition", "stakeholders.stakeholder"],
    "kind": ["initiative", "objective", "coalition"],
    "table": ["flows", "budget", "coalitions", "memberships", "outcomes"],
    "field": ["stakeholder", "owner", "participants"],
    "scope": ["country", "initiative", "coalition"],
    "key": ["CO", "PE", "1"],
}

GROUP = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)")


def routes() -> list[tuple[str, URLPattern]]:
    """(route, pattern) of every URL pattern, included ones too, the admin's and the API's."""

    def walk(resolver: URLResolver, prefix: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    return sorted(walk(get_resolver(), ""), key=lambda item: item[0])


def filter_params() -> list[str]:
    return sorted({name for filterset in all_filtersets() for name in filterset.base_filters})


def model_of(route: str, pattern: URLPattern, parameter_at: int):
    """The model whose id a route's parameter takes: the viewset's, or the one its path segment names."""
    viewset = getattr(pattern.callback, "cls", None)
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    segments = [part for part in re.split(r"[/^$]+", route[:parameter_at]) if part and "<" not in part]
    if not segments:
        return None
    segment = segments[-1]
    if segment in SEGMENT_MODELS:
        return apps.get_model(SEGMENT_MODELS[segment])
    wanted = segment.replace("-", "").removesuffix("s")
    for model in apps.get_models():
        if model._meta.model_name == wanted:
            return model
    return None


def real_id(model) -> str:
    if model is None:
        return "1"
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk if pk is not None else 1)


def encode(value: str) -> str:
    return value if isinstance(value, Raw) else quote(value, safe="")


def hostile_for(name: str, rng: random.Random) -> str:
    if "cursor" in name:
        return rng.choice(CURSORS + TEXTS)
    if any(part in name for part in ("since", "date", "_on", "after", "before", "from", "until")):
        return rng.choice(DATES + INTS)
    if name in ("page", "page_size", "p", "id", "pk") or name.endswith(("_id", "year")):
        return rng.choice(INTS + TEXTS[:8])
    return rng.choice(EVERYTHING)


def request_for(route: str, pattern: URLPattern, rng: random.Random, params: list[str]) -> str:
    """One URL for the route: path parameters filled, a few hostile query parameters."""
    use_real = rng.random() < 0.5
    parts, last = [], 0
    for match in GROUP.finditer(route):
        parts.append(route[last : match.start()])
        name = match.group("name") or match.group("regex_name")
        is_id = match.group("converter") in ("int", None) and name in ("pk", "object_id", "owner_pk", "plan_pk")
        if use_real and is_id:
            value = real_id(model_of(route, pattern, match.start()))
        elif use_real and name in REAL_TEXT:
            value = rng.choice(REAL_TEXT[name])
        elif match.group("converter") == "int":
            value = rng.choice(PATH_INTS)
        else:
            value = rng.choice(INTS + TEXTS)
        parts.append(encode(value))
        last = match.end()
    parts.append(route[last:])
    path = "/" + "".join(parts).replace("^", "").replace("$", "")
    query = [(name, hostile_for(name, rng)) for name in rng.sample(params, k=min(len(params), rng.randint(1, 3)))]
    if "api/" in route and rng.random() < 0.3:
        query.append(("mode", "cursor"))
    return path + "?" + "&".join(f"{quote(name)}={encode(value)}" for name, value in query)


@pytest.fixture
def rows(world):
    """A row of every API resource, and of the pages' own tables, so a real id reaches each view."""
    from explorers_network.models import Campaign, ContactRequest

    for basename in RESOURCES:
        make_rows(world, basename, 1)
    Campaign.objects.create(subject="News", body="Hello", language="en")
    ContactRequest.objects.create(name="Nadia", email="nadia@example.org", country="CO", message="Hi", ip_hash="x")
    return world


def personas(world) -> dict[str, Client | None]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name in ("staff_co", "partner_co", "admin"):
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(getattr(world, name))
    return clients


@pytest.fixture
def server_errors():
    """The exception behind each 500, by the URL that raised it."""
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        import sys

        errors.append(f"{request.get_full_path()[:300] if request else '?'}: {sys.exc_info()[1]!r}"[:500])

    got_request_exception.connect(record)
    yield errors
    got_request_exception.disconnect(record)


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """Hundreds of requests from one client: the throttle's 429 would hide what the view answers."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


@pytest.mark.parametrize("persona", ["anonymous", "staff_co", "partner_co", "admin"])
def test_no_route_answers_a_server_error_to_hostile_values(rows, persona, server_errors):
    client = personas(rows)[persona]
    common = GENERIC_PARAMS + filter_params()
    failures = []
    statuses: dict[int, int] = {}
    for route, pattern in routes():
        # The admin as the admin; everyone else gets its sign-in redirect, which one route shows.
        if route.startswith("admin/") != (persona == "admin") and route != "admin/":
            continue
        filterset = getattr(getattr(pattern.callback, "cls", None), "filterset_class", None)
        own = list(filterset.base_filters) if filterset else []
        for sample in range(SAMPLES):
            rng = random.Random(f"{route}|{persona}|{sample}")
            url = request_for(route, pattern, rng, own + own + common)
            accept = "application/json" if rng.random() < 0.7 else "text/html"
            response = client.get(url, HTTP_ACCEPT=accept)
            response_body(response)  # a file download streams from an open file until read to its end
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url[:300]}")
    # The walk must reach views, not only routing's 404s and sign-in redirects.
    assert statuses.get(200, 0) >= 20, statuses
    assert not failures, "\n".join([*failures[:40], "--- exceptions:", *server_errors[:40]])
