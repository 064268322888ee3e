"""Token authentication: knox's tokens, checked in one query per request.

Knox's own `TokenAuthentication` also loads every other token of the user on each request to
delete the expired ones: a second query (and a row per token) that no request needs, since an
expired token never authenticates (it is refused, and deleted, when it is presented).
"""

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired


class TokenAuthentication(auth.TokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) the presented token once it has expired; leave the user's other tokens alone."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


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
