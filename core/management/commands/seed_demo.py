"""Load the demo data: idempotent, so a second run changes nothing."""

from importlib import import_module

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
    help = "Load the demo countries, stakeholders, coalitions and users (password 'demo'). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name in DEMO_MODULES:
            import_module(name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in as staff-co / demo, or admin / demo."))
