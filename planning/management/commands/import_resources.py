"""Import resource flows or budget execution from a CSV file: all rows or none; `--dry-run` only checks."""

from pathlib import Path

from django.core.management.base import CommandError

from core.management.base import RecordedCommand
from planning.importers import IMPORTERS, resources_import


class Command(RecordedCommand):
    help = "Import a CSV of resource flows ('flows') or budget execution ('execution'). See docs/resources-import.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")

    def handle(self, *args, kind: str, path: Path, dry_run: bool, **options) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = resources_import(kind=kind, text=text, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(f"line {error.line}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} bad rows in {path}; nothing was imported.")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.rows} rows: {report.created} new, {report.updated} changed, "
                f"{report.unchanged} unchanged."
            )
        )
