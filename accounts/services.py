"""Password reset through the outbox, the second factor (enrolment, recovery codes, reset), API
tokens and invitations."""

import datetime
import logging
import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox import crypto as knox_crypto
from knox.settings import CONSTANTS as knox_constants

from core.history.context import history_context
from core.history.recording import UPDATE, record
from core.ratelimit import rate_limit_exceeded
from core.tasks import enqueue_after_commit
from core.validation import save_valid
from outbox.models import Delivery
from outbox.services import Mail, delivery_create
from stakeholders.models import Stakeholder

from .models import ApiToken, Invitation, User

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
    sign-in if their role requires it. Recorded in the user's history (`core.ObjectChange`: who,
    through what, how many devices, why) and in the `accounts.security` log."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    # The devices are django-otp's rows, not recorded: the reset is a change of the user's, by `by`
    # (the admin who checked the request), whatever path ran it.
    with history_context(actor=by):
        record(User, UPDATE, [(user, {"two_factor_devices": [removed, 0], "two_factor_reset_reason": ["", reason]})])
    security_log.warning(
        "two-factor reset: user=%s by=%s devices=%d reason=%s", user.get_username(), by.get_username(), removed, reason
    )
    return removed


# --- Preferences ---------------------------------------------------------------------------------


def user_language_set(*, user: User, language: str) -> bool:
    """Store `language` as the user's preferred language (pages after sign-in, mails, notifications).

    A language the site does not offer is refused with a ValidationError; returns whether it changed.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."), code="language")
    if user.preferred_language == language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return True


# --- API tokens ---------------------------------------------------------------------------------

#: The expiries people choose from (in days), up to `API_TOKEN_MAX_DAYS`.
API_TOKEN_EXPIRY_DAYS = (30, 90, 365)


def api_token_expiry_choices() -> list[int]:
    """The expiries a person may choose, in days: the usual ones within the setting, and the setting itself."""
    limit = settings.API_TOKEN_MAX_DAYS
    return sorted({days for days in API_TOKEN_EXPIRY_DAYS if days <= limit} | {limit})


@transaction.atomic
def api_token_create(*, user: User, name: str = "", expires_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token and its secret, which is returned here once and never stored (only its hash is).

    `expires_days` is at most `API_TOKEN_MAX_DAYS`; None (no expiry) is for `create_api_token`,
    which only an administrator of the server runs. Without a name, the token is named after its
    prefix. Refused with a ValidationError (a name the user already has, a longer expiry).
    """
    if expires_days is not None and not 1 <= expires_days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token expires after 1 to %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS}, code="expiry"
        )
    secret = knox_crypto.create_token_string()
    prefix = secret[: knox_constants.TOKEN_KEY_LENGTH]
    expiry = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
    token = ApiToken(
        user=user,
        name=name.strip() or f"Token {prefix}",
        token_key=prefix,
        digest=knox_crypto.hash_token(secret),
        expiry=expiry,
    )
    save_valid(token)
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    """The token stops working at once; the history keeps who revoked it, and when."""
    token.delete()


@transaction.atomic
def api_token_revoke_all(*, user: User) -> int:
    """Revoke every token of `user`; returns how many there were."""
    return ApiToken.objects.owned_by(user).delete()[1].get(ApiToken._meta.label, 0)


# --- Invitations ---------------------------------------------------------------------------------

INVITATION_SALT = "accounts.invitation"


def invitation_may_invite(*, by: User, role: str, country=None, organisation=None) -> bool:
    """Staff invite only into what they may change: their countries' teams and organisations."""
    if not (by.is_active and (by.is_admin or by.is_program_staff)):
        return False
    if role == Invitation.Role.PARTNER:
        return organisation is not None and Stakeholder.objects.editable_by(by).filter(pk=organisation.pk).exists()
    return country is not None and (by.is_admin or country.pk in by.team_country_ids)


@transaction.atomic
def invitation_create(
    *, by: User, email: str, role: str, language: str = "en", country=None, organisation=None
) -> Invitation:
    """Invite a person by mail (the link goes through the outbox). PermissionDenied when `by` may
    not invite into that country or organisation; ValidationError for the model's rules."""
    place = organisation if role == Invitation.Role.PARTNER else country
    # A place left out is a mistake the model's rule answers beside its field (save_valid, below).
    if place is not None and not invitation_may_invite(by=by, role=role, country=country, organisation=organisation):
        raise PermissionDenied
    invitation = Invitation(
        email=email.strip().lower(),
        role=role,
        country=country if role == Invitation.Role.STAFF else None,
        organisation=organisation if role == Invitation.Role.PARTNER else None,
        invited_by=by,
        language=language,
        nonce=secrets.token_urlsafe(24),
        expires_at=_invitation_expiry(),
    )
    save_valid(invitation)
    _invitation_mail(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A new mail with a new link, valid for the full time again; the previous link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be sent again."), code="not_pending")
    invitation.nonce = secrets.token_urlsafe(24)
    invitation.expires_at = _invitation_expiry()
    invitation.save(update_fields=["nonce", "expires_at", "updated_at"])
    _invitation_mail(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    """The link stops working; the row stays, withdrawn, for the record."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."), code="not_pending")
    invitation.status = Invitation.Status.WITHDRAWN
    invitation.nonce = ""
    invitation.save(update_fields=["status", "nonce", "updated_at"])
    return invitation


def invitation_link_key(*, invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT, compress=True)


def invitation_from_key(*, key: str) -> Invitation | None:
    """The invitation a link opens, if the link is genuine, the newest one sent, unused and not expired."""
    try:
        data = signing.loads(key, salt=INVITATION_SALT, max_age=datetime.timedelta(days=settings.INVITATION_VALID_DAYS))
        pk, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = Invitation.objects.select_related("country", "organisation").filter(pk=pk).first()
    if invitation is None or not nonce or not secrets.compare_digest(nonce, invitation.nonce) or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, password: str, first_name: str, last_name: str) -> User:
    """Make the invited person's account with the password they chose; the link stops working.

    Refused with a ValidationError when the invitation was used, withdrawn or expired meanwhile
    (the row is locked, so two clicks cannot both make an account), or for the user's own rules.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid."), code="closed")
    user = User(
        username=username,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        role=invitation.role,
        organisation=invitation.organisation,
        preferred_language=invitation.language,
    )
    user.set_password(password)
    save_valid(user, m2m={"country_teams": [invitation.country] if invitation.country else []})
    invitation.status = Invitation.Status.ACCEPTED
    invitation.user = user
    invitation.nonce = ""
    invitation.save(update_fields=["status", "user", "nonce", "updated_at"])
    return user


def _invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


def _invitation_mail(*, invitation: Invitation) -> None:
    """Write the invitation's mail to the outbox; a resend has a new link, hence a new period."""
    link = settings.SITE_URL.rstrip("/") + reverse(
        "invitation_accept", kwargs={"key": invitation_link_key(invitation=invitation)}
    )
    context = {
        "invitation": invitation,
        "link": link,
        "site_name": settings.OTP_TOTP_ISSUER,
        "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username(),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    with translation.override(invitation.language):
        subject = "".join(render_to_string("accounts/invitation_subject.txt", context).splitlines())
        body = render_to_string("accounts/invitation_email.txt", context)
    mail = Mail(recipient=invitation.email, language=invitation.language, subject=subject, body_text=body)
    period = f"invitation-{invitation.pk}-{invitation.nonce[:12]}"
    delivery_create(mail=mail, kind=Delivery.Kind.INVITATION, period=period)
