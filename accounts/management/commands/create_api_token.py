"""Print a new API token for a user, once: only its hash is stored, so it cannot be shown again."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from accounts import services
from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Create an API token for USERNAME and print it (nothing else). People make and revoke their own "
        "tokens on their tokens page; admins revoke anyone's in the admin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help='What the token is for (default: "Token" and its prefix).')
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help=f"Days until the token expires, at most API_TOKEN_MAX_DAYS ({settings.API_TOKEN_MAX_DAYS}); "
            "default: never.",
        )

    def handle(self, *args, username: str, name: str, expires_days: int | None, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        try:
            _token, secret = services.api_token_create(user=user, name=name, expires_days=expires_days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(secret)
