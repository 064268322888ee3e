"""Rate limits per API token (or session user) and per client IP; exceeding one answers 429 + Retry-After.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (scopes `token` and `ip`), read on
every request so tests and settings changes take effect without a restart. Counting is
`core.ratelimit`'s, in the shared cache: DRF's own throttle reads a list of times and writes it
back, so two processes answering at once both let the last request through.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.client_ip import client_ip
from core.ratelimit import rate_limit_hit


class RateThrottle(SimpleRateThrottle):
    """The base of every API throttle: a fixed window per key in `core.ratelimit`, clients told
    apart by `core.client_ip` (X-Forwarded-For only from `TRUSTED_PROXIES`)."""

    retry_after: int | None = None

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        hit = rate_limit_hit(scope="api", key=key, limit=self.num_requests, window_seconds=self.duration)
        self.retry_after = hit.retry_after
        return not hit.exceeded

    def wait(self) -> int | None:
        return self.retry_after


class TokenRateThrottle(RateThrottle):
    """Per token: two tokens of one user have separate budgets; a session counts as one token."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        token = getattr(request.auth, "token_key", None)
        ident = f"token-{token}" if token else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IPRateThrottle(RateThrottle):
    """Per client address, whoever is signed in."""

    scope = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
