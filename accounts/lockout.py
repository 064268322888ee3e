"""Sign-in lockouts (django-axes): failures per account and, with a higher limit, per client address.

Axes records every failed `authenticate()` (site and admin sign-in) as an `AccessAttempt` row.
This module adds what the project needs on top: separate limits for an account and for an
address (an office behind one address should not be locked out by a few colleagues' typos), the
second factor and the password reset counted as sign-in paths, and the lockout page.
"""

import functools
import math
import operator

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried; a call without a request (a script, `Client.login`
    in tests) has no client to lock out, so it is let through to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: `AXES_FAILURE_LIMIT` for one account and
    `SIGNIN_FAILURE_LIMIT_PER_IP` for one address, each counted over the cool-off time."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures measured against the account limit; an address past its own limit counts as
        the account limit itself, so Axes' single comparison locks either out."""
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address
        conditions = [Q(username=username)] * bool(username) + [Q(ip_address=ip_address)] * bool(ip_address)
        if not conditions:
            return 0
        rows = AccessAttempt.objects.filter(
            functools.reduce(operator.or_, conditions), attempt_time__gte=get_cool_off_threshold(request)
        )
        account = address = 0
        for row_username, row_ip, failures in rows.values_list("username", "ip_address", "failures_since_start"):
            account += failures if username and row_username == username else 0
            address += failures if ip_address and row_ip == ip_address else 0
        if address >= settings.SIGNIN_FAILURE_LIMIT_PER_IP:
            return max(account, get_failure_limit(request, credentials))
        return account


def is_locked_out(request: HttpRequest, *, username: str | None = None) -> bool:
    """Whether this request's address (and, given a username, that account) is locked out now."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, *, username: str | None = None) -> None:
    """Count a failed sign-in step that is not a password (a wrong code, a made-up reset link).

    Sent as Django's own `user_login_failed`, so Axes counts it like a wrong password; when it
    reaches a limit, `AxesMiddleware` answers the request with the lockout page.
    """
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def lift_lockouts(*, usernames: set[str], ip_addresses: set[str]) -> int:
    """Forget the failures of these accounts and addresses: they may sign in again at once."""
    if not usernames and not ip_addresses:
        return 0
    deleted, _ = AccessAttempt.objects.filter(Q(username__in=usernames) | Q(ip_address__in=ip_addresses)).delete()
    return deleted


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    return max(1, math.ceil(get_cool_off(request).total_seconds() / 60))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page of a refused sign-in: 429, with how long to wait (the same for every path)."""
    minutes = cool_off_minutes(request)
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
