"""Remove a user's two-step sign-in devices (a lost phone), recorded with who did it and why."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from accounts.services import two_factor_reset
from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Reset USERNAME's two-step sign-in: their authenticator and recovery codes are removed and they "
        "set it up again at their next sign-in. Recorded in the user's admin history and the security log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="Username of the admin who checked the request.")
        parser.add_argument("--reason", required=True, help="Why, e.g. 'lost phone, confirmed by video call'.")

    def handle(self, *args, username: str, by: str, reason: str, **options) -> None:
        users = get_user_model().objects
        try:
            user = users.get(username=username)
        except users.model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        admin = users.filter(username=by, is_active=True).first()
        if admin is None or not admin.is_admin:
            raise CommandError(f"--by must name an active admin, not {by!r}.")
        if not reason.strip():
            raise CommandError("--reason must say why.")
        removed = two_factor_reset(user=user, by=admin, reason=reason.strip())
        self.stdout.write(
            f"Removed {removed} device(s) of {username}; they set up two-step sign-in again at next sign-in."
        )
