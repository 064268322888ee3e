"""Load the demo data: idempotent, so a second run changes nothing."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from core.management.base import RecordedCommand

# Each module has a `load(stdout)` that creates its rows by natural keys (get_or_create),
# in this order: later ones may use rows of earlier ones.
DEMO_MODULES = [
    "coalitions.demo",
    "planning.demo",
    "results.demo",
    "explorers_network.demo",
]


class Command(RecordedCommand):
    help = (
        "Load the demo countries, stakeholders, coalitions and users (password 'demo'). Idempotent. "
        "Refuses to run with DEBUG=0 unless given --allow-production, and then the demo users get no usable password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off; demo users then cannot sign in until given a password.",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG:
            if not allow_production:
                raise CommandError(
                    "DEBUG is off: this looks like a production database, so seed_demo refuses to write demo "
                    "data and demo users. Pass --allow-production to load it anyway (demo users then get no "
                    "usable password)."
                )
            self.stderr.write(
                self.style.WARNING(
                    "WARNING: loading demo data with DEBUG off. Demo users are created without a usable "
                    "password; set one with `manage.py changepassword USERNAME` to use them."
                )
            )
        with transaction.atomic():
            for name in DEMO_MODULES:
                import_module(name).load(self.stdout)
        if settings.DEBUG:
            self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in as staff-co / demo, or admin / demo."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data loaded; demo users have no usable password."))
