"""Import a CSV or XLSX file through the same pipeline as the staff import page: all rows or none;
`--dry-run` only checks (and, for resources, lists what would change)."""

import sys
import time

from django.core.management.base import CommandError

from coalitions.importers import KINDS as COALITION_KINDS
from coalitions.importers import table_import
from core.management.base import RecordedCommand
from planning.importers import IMPORTERS, resources_import
from stakeholders.importers import stakeholders_import_csv

KINDS = ("stakeholders", *sorted(IMPORTERS), *COALITION_KINDS)


class Command(RecordedCommand):
    help = (
        "Import a CSV or XLSX of stakeholders, resource flows ('flows'), budget execution ('execution') or a "
        "coalition table as its download writes it (coalitions, memberships, engagements, commitments, outcomes): "
        "all rows or none. See docs/resources-import.md, stakeholders/importers.py and coalitions/importers.py."
    )
    # The project's system checks (URLs, admin, API schema settings) are slow and say nothing about a
    # file; `migrate` and the servers run them. The staff page's import runs none either.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("path", help="CSV or XLSX file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")

    def handle(self, *args, kind: str, path: str, dry_run: bool, **options) -> None:
        started = time.monotonic()
        try:
            if path == "-":
                content = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    content = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        if kind == "stakeholders":
            report = stakeholders_import_csv(file=content, dry_run=dry_run)
        elif kind in COALITION_KINDS:
            report = table_import(kind=kind, file=content, dry_run=dry_run)
        else:
            report = resources_import(kind=kind, file=content, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(f"{len(report.errors)} bad rows; nothing was imported.")
        for change in report.changes if dry_run else ():
            if change.action != change.UNCHANGED:
                fields = "; ".join(f"{label}: {before} → {after}" for label, before, after in change.fields)
                self.stdout.write(f"line {change.line}: {change.action} {change.label} {fields}".rstrip())
        elapsed = time.monotonic() - started
        prefix = "Dry run, nothing written: " if dry_run else ""
        if kind == "stakeholders":
            if dry_run:
                self.stdout.write(self.style.SUCCESS(f"The file is valid ({elapsed:.1f} s); nothing was imported."))
            else:
                self.stdout.write(self.style.SUCCESS(f"Imported {report.created} stakeholders in {elapsed:.1f} s."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.rows} rows: {report.created} new, {report.updated} changed, "
                f"{report.unchanged} unchanged."
            )
        )
