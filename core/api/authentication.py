"""Token authentication: knox's header and hashing, over the project's token model (`KNOX_TOKEN_MODEL`).

One query per request finds the token by its first characters (with its user) and compares the
hash of the presented secret. An expired token is refused and kept, so its owner sees on the
tokens page that it expired; a revoked one no longer exists. The time of last use is written at
most once per `LAST_USE_PRECISION`, so a busy script costs one small write a minute, not one per
request.
"""

import datetime
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

LAST_USE_PRECISION = datetime.timedelta(minutes=1)


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            secret = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        model = get_token_model()
        digest = hash_token(secret)
        candidates = model.objects.filter(token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        found = next((row for row in candidates if compare_digest(digest, row.digest)), None)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if found.is_expired(now):
            raise exceptions.AuthenticationFailed(_("This token has expired: make a new one on your tokens page."))
        if not found.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if found.last_used_at is None or now - found.last_used_at >= LAST_USE_PRECISION:
            # The history leaves this field out, so this is a plain UPDATE, never a history row.
            model.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        return found.user, found


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
