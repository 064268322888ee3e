"""Counting in fixed windows: Redis (one atomic script) and any other cache give the same answers."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

from core.ratelimit import rate_limit_hit
from core.testing import require_service

REDIS_URL = "redis://127.0.0.1:6379/4"  # not test_web_tier's database, which that test flushes
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-tests"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}


def redis_available() -> bool:
    from outbox.testing import redis_available

    return redis_available(REDIS_URL)


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.services)])
def backend(request, settings):
    if request.param == "redis":
        require_service("Redis", redis_available(), REDIS_URL)
    settings.CACHES = REDIS if request.param == "redis" else LOCMEM
    caches["default"].clear()
    yield request.param
    caches["default"].clear()
    disconnect(caches["default"])


def disconnect(backend) -> None:
    """Close a Redis cache's pooled sockets before the settings change drops it (no ResourceWarning)."""
    for pool in getattr(getattr(backend, "_cache", None), "_pools", {}).values():
        pool.disconnect()


def hits(n: int, **kwargs) -> list[tuple[int, bool, int]]:
    args = {"scope": "test", "key": "203.0.113.9", "limit": 3, "window_seconds": 60, **kwargs}
    return [(hit.count, hit.exceeded, hit.retry_after) for hit in (rate_limit_hit(**args) for _ in range(n))]


def test_both_paths_count_the_same_and_say_when_the_window_ends(backend):
    results = hits(5)
    assert [(count, exceeded) for count, exceeded, _ in results] == [
        (1, False),
        (2, False),
        (3, False),
        (4, True),
        (5, True),
    ]
    assert all(59 <= retry_after <= 60 for *_, retry_after in results)


def test_keys_scopes_and_windows_are_separate(backend):
    assert hits(2)[-1][0] == 2
    assert hits(1, key="203.0.113.10")[0][0] == 1
    assert hits(1, scope="other")[0][0] == 1


def test_no_two_concurrent_requests_get_the_same_place(backend):
    def place(_n: int) -> int:
        return rate_limit_hit(scope="t", key="k", limit=1, window_seconds=60).count

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(place, range(80)))
    assert sorted(counts) == list(range(1, 81))


@pytest.mark.services
def test_on_redis_a_counter_left_without_an_expiry_gets_one(settings):
    require_service("Redis", redis_available(), REDIS_URL)
    settings.CACHES = REDIS
    backend = caches["default"]
    backend.clear()
    rate_limit_hit(scope="heal", key="k", limit=1, window_seconds=60)
    client = backend._cache.get_client(write=True)
    (key,) = client.keys("*ratelimit:heal:*")
    client.persist(key)  # what Django's EXISTS-then-INCR leaves when the window ends between the two
    assert client.ttl(key) == -1
    assert rate_limit_hit(scope="heal", key="k", limit=1, window_seconds=60).count == 2
    assert 0 < client.ttl(key) <= 60
    backend.clear()
    disconnect(backend)
