from core.management.base import RecordedCommand
from countries.models import Country, Municipality, Region
from countries.municipalities import load_municipalities


class Command(RecordedCommand):
    help = (
        "Create or update the municipalities of CO, PE and PH from the official lists in countries/data/ (idempotent)."
    )

    def handle(self, *args, **options) -> None:
        created, updated = load_municipalities(Country, Region, Municipality)
        self.stdout.write(f"{created} municipalities created, {updated} updated.")
