"""Token authentication: knox's header and hashing, over the project's token model (`KNOX_TOKEN_MODEL`).

A token is found by its first characters (with its user) and the hash of the presented secret is
compared. An expired token is refused and kept, so its owner sees on the tokens page that it
expired; a revoked one no longer exists. The time of last use is written at most once per
`LAST_USE_PRECISION`, so a busy script costs one small write a minute, not one per request.

The token found (with its user) is kept in the cache under the hash of its secret until its last
use is due to be written again, so a busy script costs one query a minute, not one per request.
It is filed under the versions of the tokens' and the users' tables (`core.short_tables`), which
every write to either drops (save, delete, bulk write, in any process sharing the cache), now and
again when it commits, so a revoked or changed token, or a deactivated user, is refused from the
next request on. Expiry is checked on every request.
Like the rate limits and `core.short_tables`, this needs the cache every process shares (`CACHE_URL`,
which `check --deploy` asks for with more than one process); without it, another process may go on
accepting a revoked token until its last use is due (a minute at most).
"""

import datetime
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from core.short_tables import keep, read_kept
from core.versions import code_version

LAST_USE_PRECISION = datetime.timedelta(minutes=1)


def _kept_key(digest: str) -> str:
    # Under the code's version too: a deploy never reads a token (and user) pickled by other code.
    return f"api-token:{code_version()}:{digest}"


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            secret = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        digest = hash_token(secret)
        now = timezone.now()
        # The tables' versions and the token filed with them, in one round trip.
        version, found = read_kept(_kept_key(digest), (get_token_model(), get_user_model()))
        if found is None:
            found = self._read(secret, digest, now, version)
        if found.is_expired(now):
            raise exceptions.AuthenticationFailed(_("This token has expired: make a new one on your tokens page."))
        if not found.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return found.user, found

    def _read(self, secret: str, digest: str, now: datetime.datetime, version: tuple[str, ...]):
        """The token from the database (its last use written if due), kept until that write is due again."""
        # `version` was read before this read: any write from now on drops it, so a token kept under
        # it is never older than a write (writing the last use drops it too: the next request reads again).
        model = get_token_model()
        candidates = model.objects.filter(token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        found = next((row for row in candidates if compare_digest(digest, row.digest)), None)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if found.last_used_at is None or now - found.last_used_at >= LAST_USE_PRECISION:
            # The history leaves this field out, so this is a plain UPDATE, never a history row.
            model.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
            return found  # that write dropped the version: kept by the next request, which reads again
        keep_seconds = (found.last_used_at + LAST_USE_PRECISION - now).total_seconds()
        if keep_seconds > 0 and not found.is_expired(now) and found.user.is_active:
            keep(_kept_key(digest), version, found, timeout=keep_seconds)
        return found


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of the class above: the same as knox's (drf-spectacular matches classes exactly)."""

    target_class = TokenAuthentication

    def get_security_definition(self, auto_schema):
        # Generated clients read this to build the header; most default to "Bearer", which is refused.
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API token in the Authorization header, after the word Token and a space: "
                "`Authorization: Token <your token>` (not Bearer). A missing, invalid, expired or "
                "revoked token answers 401."
            ),
        }
