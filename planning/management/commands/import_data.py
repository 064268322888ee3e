"""Import a CSV or XLSX file through the same pipeline as the staff import page: all rows or none;
`--dry-run` only checks and lists what would change."""

from pathlib import Path

from django.core.management.base import CommandError

from core.management.base import RecordedCommand
from planning.importers import IMPORTERS, resources_import


class Command(RecordedCommand):
    help = (
        "Import a CSV or XLSX of resource flows ('flows') or budget execution ('execution'). "
        "See docs/resources-import.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")

    def handle(self, *args, kind: str, path: Path, dry_run: bool, **options) -> None:
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        report = resources_import(kind=kind, file=content, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(f"line {error.line}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} bad rows in {path}; nothing was imported.")
        if dry_run:
            for change in report.changes:
                if change.action != change.UNCHANGED:
                    fields = "; ".join(f"{label}: {before} → {after}" for label, before, after in change.fields)
                    self.stdout.write(f"line {change.line}: {change.action} {change.label} {fields}".rstrip())
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.rows} rows: {report.created} new, {report.updated} changed, "
                f"{report.unchanged} unchanged."
            )
        )
