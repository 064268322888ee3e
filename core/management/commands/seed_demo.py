"""Load the demo data: the YAML files in each app's `demo/` folder (core/demo.py). Idempotent."""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from core import demo
from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Load the demo countries, stakeholders, coalitions and users (password 'demo') from each app's "
        "demo/*.yaml, through the models' rules. Idempotent. Refuses to run with DEBUG=0 unless given "
        "--allow-production, and then the demo users get no usable password."
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
        try:
            with transaction.atomic():
                demo.load(stdout=self.stdout)
        except demo.DemoDataError as error:
            raise CommandError(f"{error}\nNothing was loaded.") from error
        if settings.DEBUG:
            self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in as staff-co / demo, or admin / demo."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data loaded; demo users have no usable password."))
