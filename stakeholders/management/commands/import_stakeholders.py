import sys
import time

from django.core.management.base import CommandError

from core.management.base import RecordedCommand
from stakeholders.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, stakeholders_import_csv


class Command(RecordedCommand):
    help = (
        "Import stakeholders from a UTF-8 CSV file: all rows or none. Columns: "
        f"{', '.join(REQUIRED_COLUMNS)} (required), {', '.join(OPTIONAL_COLUMNS)} (optional)."
    )
    # The project's system checks (URLs, admin, API schema settings) are slow and say nothing about a CSV
    # file; `migrate` and the servers run them. The staff page's import runs none either.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="CSV file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; import nothing.")

    def handle(self, *args, path: str, dry_run: bool, **options) -> None:
        started = time.monotonic()
        try:
            if path == "-":
                content = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    content = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        result = stakeholders_import_csv(file=content, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} bad rows; nothing was imported.")
        elapsed = time.monotonic() - started
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"The file is valid ({elapsed:.1f} s); nothing was imported."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.created} stakeholders in {elapsed:.1f} s."))
