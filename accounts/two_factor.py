"""Who must sign in with a second factor, and whether this session has given it.

A password alone signs a user in (Django's session), but until the second factor is given the
session is *pending*: `TwoFactorMiddleware` lets it reach only the code and enrolment pages (and
sign out), and the API treats it as anonymous. A user must give a second factor when their role
is in `TWO_FACTOR_REQUIRED_ROLES`, or when they have set one up themselves.

Neither answer costs a query per request. The session keeps, from the sign-in, the code or the
enrolment, whether the user has a confirmed device and which device verified it, together with
the user's `two_factor_epoch`; every change of a device (confirmed, unconfirmed, removed: the
enrolment, a reset, the admin) moves the epoch on (`accounts.receivers`), and a session whose
epoch is not the user's (read with the user, on every request) is answered afresh: a session
verified by a removed device asks for the second factor again.
"""

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django_otp import user_has_device

#: Whether the signed-in user had a confirmed device when they signed in (saves a query per request).
HAS_DEVICE_SESSION_KEY = "two_factor_has_device"
#: The user's `two_factor_epoch` when the session's answers were given.
EPOCH_SESSION_KEY = "two_factor_epoch"


def role_of(user) -> str:
    """The role `TWO_FACTOR_REQUIRED_ROLES` names: superusers count as admins."""
    return "admin" if user.is_admin else user.role


def is_required(user) -> bool:
    """Whether this user's role must use a second factor (a setting, so no query)."""
    return user.is_authenticated and role_of(user) in settings.TWO_FACTOR_REQUIRED_ROLES


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def remember_devices(request: HttpRequest, user) -> None:
    """Note in the session whether the user has a device, as of the user's current epoch (at sign-in,
    after the code or the enrolment, and when a device changed)."""
    from django.contrib.auth import get_user_model

    user.two_factor_epoch = get_user_model().objects.values_list("two_factor_epoch", flat=True).get(pk=user.pk)
    request.session[HAS_DEVICE_SESSION_KEY] = has_device(user)
    request.session[EPOCH_SESSION_KEY] = user.two_factor_epoch


def is_current(request: HttpRequest, user) -> bool:
    """Whether the session's answers were given since the user's devices last changed."""
    return request.session.get(EPOCH_SESSION_KEY) == user.two_factor_epoch


def devices_changed(user_id: int) -> None:
    """A device of the user was confirmed, unconfirmed or removed: every session asks afresh."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=user_id).update(two_factor_epoch=F("two_factor_epoch") + 1)


def is_pending(request: HttpRequest) -> bool:
    """Signed in with a password, but not yet with the second factor this account needs."""
    user = getattr(request, "user", None)
    # `otp_device` is django-otp's mark of a verified session (OTPMiddleware, or otp_login).
    if user is None or not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return False
    if HAS_DEVICE_SESSION_KEY not in request.session or not is_current(request, user):
        remember_devices(request, user)  # a device changed since (or a session from before two-factor existed)
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
