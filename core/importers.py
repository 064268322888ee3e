"""What every CSV import reports: one shape for the stakeholder import and the resources import.

An importer lives in `<app>/importers.py` as a service named `<noun>_import` (keyword-only
arguments, `dry_run`), checks every row before it writes any, and returns an `ImportReport`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the line it is on (1 is the header) and what is wrong."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), or why it wrote nothing."""

    kind: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
