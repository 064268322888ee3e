"""Counting requests per key in fixed windows, in Django's cache.

With a shared cache configured (`CACHES`), every web process counts into the same window; with
the default local-memory cache each process counts its own.
"""

import hashlib

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request for `key` in `scope`; True when that makes more than `limit` in this window.

    The key is hashed, so an email address or an IP address is never stored as it was given.
    """
    cache_key = f"ratelimit:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
