"""Counting requests per key in fixed windows, in Django's cache: every throttle and rate limit.

DRF's throttles (core/api/throttling.py), the password-reset limits, the contact and join forms
count here. With `CACHE_URL` the cache is Redis and every web process counts into the same
window; without it each process counts in its own memory (one `make run` process).

A window starts with the first request for its key and lasts `window_seconds`. On Redis one
script increments the count, gives a new key its expiry and reads the time left, atomically, in
one round trip: two processes can never both take the last place, and a key can never be left
without an expiry. Django's own `incr()` on Redis is EXISTS then INCR, and a window ending
between the two would leave a counter that never expires. Other caches go through Django's
`add()` and `incr()` (atomic in local memory, which holds its lock). A test holds the two
paths to the same answers.
"""

import dataclasses
import hashlib
import math
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

# KEYS[1]: the counter. ARGV[1]: the window in seconds. Returns {count, seconds left}.
_REDIS_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


@dataclasses.dataclass(frozen=True)
class Hit:
    """One counted request: how many its window holds now, and when that window ends."""

    count: int
    limit: int
    retry_after: int

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> Hit:
    """Count one request for `key` in `scope` (refused requests count too: the window does not
    move, so that changes nothing). The key is hashed, so an email address or an IP address is
    never stored as it was given."""
    name = f"ratelimit:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        count, retry_after = _count_on_redis(backend, name, window_seconds)
    else:
        count, retry_after = _count_in_django_cache(backend, name, window_seconds)
    return Hit(count=count, limit=limit, retry_after=max(1, retry_after))


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request for `key` in `scope`; True when that makes more than `limit` in this window."""
    return rate_limit_hit(scope=scope, key=key, limit=limit, window_seconds=window_seconds).exceeded


def _count_on_redis(backend: RedisCache, name: str, window_seconds: int) -> tuple[int, int]:
    key = backend.make_and_validate_key(name)
    client = backend._cache.get_client(key, write=True)  # redis-py's client, as Django's own calls use it
    count, ttl = client.eval(_REDIS_SCRIPT, 1, key, window_seconds)
    return int(count), int(ttl)


def _count_in_django_cache(backend: BaseCache, name: str, window_seconds: int) -> tuple[int, int]:
    """The window's end is kept beside its counter, for Retry-After; both expire together."""
    ends_name = f"{name}:ends"
    now = time.time()
    if backend.add(name, 0, timeout=window_seconds):
        backend.set(ends_name, now + window_seconds, timeout=window_seconds)
    try:
        count = backend.incr(name)
    except ValueError:  # the window ended between add() and incr(): this request opens the next
        backend.set(name, 1, timeout=window_seconds)
        backend.set(ends_name, now + window_seconds, timeout=window_seconds)
        count = 1
    ends = backend.get(ends_name) or now + window_seconds
    return count, math.ceil(ends - now)
