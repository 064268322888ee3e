"""The Redis cache makes one redis-py client per connection pool, and is Django's Redis cache in every other way."""

import pytest
from django.core.cache import caches

from core.testing import require_service

from .test_ratelimit import REDIS_URL, disconnect, redis_available


@pytest.mark.services
def test_the_redis_cache_makes_one_client_per_pool_and_reads_what_it_wrote(settings):
    require_service("Redis", redis_available(), REDIS_URL)
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}  # what CACHE_URL sets
    cache = caches["default"]
    try:
        client = cache._cache.get_client(write=True)
        assert cache._cache.get_client(write=False) is client  # one server: one pool, one client
        cache.set("core-cache-test", {"rows": [1, 2]}, 30)
        assert cache.get_many(["core-cache-test", "core-cache-missing"]) == {"core-cache-test": {"rows": [1, 2]}}
        assert cache._cache.get_client() is client
        cache.delete("core-cache-test")
        assert cache.get("core-cache-test") is None
    finally:
        disconnect(cache)
