"""Who must sign in with a second factor, and whether this session has given it.

A password alone signs a user in (Django's session), but until the second factor is given the
session is *pending*: `TwoFactorMiddleware` lets it reach only the code and enrolment pages (and
sign out), and the API treats it as anonymous. A user must give a second factor when their role
is in `TWO_FACTOR_REQUIRED_ROLES`, or when they have set one up themselves.
"""

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device

#: Whether the signed-in user had a confirmed device when they signed in (saves a query per request).
HAS_DEVICE_SESSION_KEY = "two_factor_has_device"


def role_of(user) -> str:
    """The role `TWO_FACTOR_REQUIRED_ROLES` names: superusers count as admins."""
    return "admin" if user.is_admin else user.role


def is_required(user) -> bool:
    """Whether this user's role must use a second factor (a setting, so no query)."""
    return user.is_authenticated and role_of(user) in settings.TWO_FACTOR_REQUIRED_ROLES


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def remember_devices(request: HttpRequest, user) -> None:
    """Note in the session whether the user has a device (at sign-in, and when that changes)."""
    request.session[HAS_DEVICE_SESSION_KEY] = has_device(user)


def is_pending(request: HttpRequest) -> bool:
    """Signed in with a password, but not yet with the second factor this account needs."""
    user = getattr(request, "user", None)
    # `otp_device` is django-otp's mark of a verified session (OTPMiddleware, or otp_login).
    if user is None or not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return False
    if HAS_DEVICE_SESSION_KEY not in request.session:
        remember_devices(request, user)  # a session from before two-factor existed
    return is_required(user) or request.session[HAS_DEVICE_SESSION_KEY]


def next_step(request: HttpRequest) -> str | None:
    """The URL name a pending session must go to: the code page, or enrolment; None when neither
    applies any more (the user's devices were removed and their role does not require one)."""
    user = request.user
    if has_device(user):
        return "two_factor_verify"
    if is_required(user):
        return "two_factor_setup"
    request.session[HAS_DEVICE_SESSION_KEY] = False
    return None
