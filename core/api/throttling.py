"""Rate limits per API token (or session user) and per client IP; exceeding one answers 429 + Retry-After.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (scopes `token` and `ip`), read on
every request so tests and settings changes take effect without a restart.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_SettingsRateThrottle):
    """Per token: two tokens of one user have separate budgets; a session counts as one token."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        token = getattr(request.auth, "token_key", None)
        ident = f"token-{token}" if token else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IPRateThrottle(_SettingsRateThrottle):
    """Per client address, whoever is signed in (X-Forwarded-For counts only with NUM_PROXIES set)."""

    scope = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
