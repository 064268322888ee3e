from core.management.base import RecordedCommand
from countries.iso import load_iso_regions
from countries.models import Country, Region


class Command(RecordedCommand):
    help = "Create the program's countries and their ISO 3166-2 subdivisions (idempotent)."

    def handle(self, *args, **options) -> None:
        created = load_iso_regions(Country, Region)
        self.stdout.write(f"{created} regions created.")
