"""Print a new API token for a user, once: only its hash is stored, so it cannot be shown again."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from knox.models import AuthToken

from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = "Create an API token for USERNAME and print it (nothing else). Revoke tokens in the admin."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Days until the token expires (default: never).",
        )

    def handle(self, *args, username: str, expires_days: int | None, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        if expires_days is not None and not 1 <= expires_days <= 3650:
            raise CommandError("--expires-days must be between 1 and 3650.")
        expiry = datetime.timedelta(days=expires_days) if expires_days else None
        _, token = AuthToken.objects.create(user=user, expiry=expiry)
        self.stdout.write(token)
