"""Password reset through the outbox, and the second factor: enrolment, recovery codes, reset."""

import logging
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.ratelimit import rate_limit_exceeded
from core.tasks import enqueue_after_commit
from outbox.models import Delivery
from outbox.services import Mail, delivery_create

from .models import User

#: Where the second factor's resets are recorded (besides the admin's history of the user).
security_log = logging.getLogger("accounts.security")

RECOVERY_CODES = 10
RESET_WINDOW_SECONDS = 3600


def password_reset_request(*, email: str, ip: str | None, language: str) -> bool:
    """Ask for a reset link: False when this client address has asked too often this hour.

    The work is the same whether or not an account uses the address (two counters, one task to
    publish), so neither the answer nor its timing tells the two apart. The task looks the
    accounts up and writes their mails to the outbox. An address asked for too often gets no
    further mail this hour, silently: the page must not tell.
    """
    if rate_limit_exceeded(
        scope="password-reset-ip", key=ip or "", limit=settings.PASSWORD_RESET_LIMIT_PER_IP, window_seconds=3600
    ):
        return False
    if rate_limit_exceeded(
        scope="password-reset-address",
        key=email.strip().lower(),
        limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        window_seconds=RESET_WINDOW_SECONDS,
    ):
        return True
    enqueue_after_commit("accounts.tasks.password_reset_mail", email=email, language=language)
    return True


def password_reset_mail(*, email: str, language: str) -> int:
    """Write a reset mail to the outbox for each active account with this address and a password
    (Django's rule); returns how many. Links point at SITE_URL, never at a request's Host header."""
    site = urlparse(settings.SITE_URL)
    written = 0
    for user in PasswordResetForm().get_users(email):
        context = {
            "email": user.email,
            "domain": site.netloc,
            "site_name": settings.OTP_TOTP_ISSUER,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
        }
        with translation.override(language):
            subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
            body = render_to_string("registration/password_reset_email.html", context)
        mail = Mail(recipient=user.email, language=language, subject=subject, body_text=body)
        if delivery_create(mail=mail, kind=Delivery.Kind.PASSWORD_RESET, period=timezone.now().isoformat()):
            written += 1
    return written


def two_factor_device_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until the user types a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def two_factor_enrol(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator the user has proven (replacing any earlier one) and give them
    new recovery codes, returned once: they are never shown again."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return two_factor_recovery_codes_create(user=user)


@transaction.atomic
def two_factor_recovery_codes_create(*, user: User) -> list[str]:
    """A new set of single-use recovery codes; the previous set stops working."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def two_factor_recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_reset(*, user: User, by: User, reason: str) -> int:
    """Remove every second-factor device of `user` (a lost phone): they enrol again at their next
    sign-in if their role requires it. Recorded in the admin's history of the user and in the
    `accounts.security` log, with who did it and why."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    message = f"Two-factor devices reset by {by.get_username()}: {reason}"
    LogEntry.objects.log_actions(user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message)
    security_log.warning(
        "two-factor reset: user=%s by=%s devices=%d reason=%s", user.get_username(), by.get_username(), removed, reason
    )
    return removed
