"""Import a CSV or XLSX file through the same pipeline as the staff import page: all rows or none;
`--dry-run` only checks (and, for resources, lists what would change)."""

import contextlib
import sys
import time

from django.core.management.base import CommandError

from core.importers import FileUnreadable, read_table
from core.imports import Profile, guess_mapping, import_with_profile, kinds
from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Import a CSV or XLSX of one of the registered kinds (core.imports: stakeholders, contacts, resource "
        "flows 'flows', budget execution 'execution', ...): all rows or none. See docs/resources-import.md."
    )
    # The project's system checks (URLs, admin, API schema settings) are slow and say nothing about a
    # file; `migrate` and the servers run them. The staff page's import runs none either.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(kinds()))
        parser.add_argument("path", help="CSV or XLSX file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; write nothing.")
        parser.add_argument(
            "--profile",
            help="Map the file's columns with this import profile: a built-in one (pe-mef-transferencias, "
            "pe-mef-consulta-amigable, co-sgr-datos-abiertos) or one saved on the import page.",
        )

    def handle(self, *args, kind: str, path: str, dry_run: bool, profile: str | None = None, **options) -> None:
        started = time.monotonic()
        with contextlib.ExitStack() as stack:
            try:
                # The open file, not its bytes: a CSV in UTF-8 is read as its rows are (core.importers.read_table).
                content = sys.stdin.buffer.read() if path == "-" else stack.enter_context(open(path, "rb"))
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
            if profile:
                report = self.import_with(kind, profile, content, dry_run=dry_run)
            else:  # the kind's own pipeline, as the import page runs it (every country: no user)
                report = kinds()[kind].run(file=content, user=None, dry_run=dry_run)
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
        if kind == "stakeholders" and not profile:
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

    def import_with(self, kind: str, name: str, content, *, dry_run: bool):
        """The file read through a built-in profile or a saved one (by name; a name saved by two users is
        refused as ambiguous)."""
        from imports.models import ImportProfile

        import_kind = kinds()[kind]
        found: Profile | None = import_kind.profile(name)
        if found is None:
            saved = list(ImportProfile.objects.filter(kind=kind, name=name)[:2])
            if len(saved) != 1:
                names = ", ".join(profile.name for profile in import_kind.profiles) or "-"
                problem = "is saved by more than one user" if saved else "does not exist"
                raise CommandError(f"The profile {name!r} for {kind} {problem} (built-in: {names}).")
            found = saved[0].as_profile()
        try:
            table = read_table(content)
        except FileUnreadable as error:
            raise CommandError(error.message) from None
        mapping = guess_mapping(import_kind, table.header, found)
        return import_with_profile(
            kind=import_kind, table=table, mapping=mapping, profile=found, user=None, dry_run=dry_run
        )
