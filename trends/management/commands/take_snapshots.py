import datetime

from core.management.base import RecordedCommand
from trends.services import snapshots_take


class Command(RecordedCommand):
    help = "Take this month's snapshots (networks and coalition health) now; a re-run updates them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", type=datetime.date.fromisoformat, help="A day of the month to snapshot (ISO).")

    def handle(self, *args, on=None, **options) -> None:
        written = snapshots_take(on=on)
        self.stdout.write(f"{written} snapshots written.")
