"""What every CSV import shares: one report shape, and one reading of cells that makes every bad
cell a row error.

An importer lives in `<app>/importers.py` as a service named `<noun>_import` (keyword-only
arguments, `dry_run`), checks every row before it writes any, and returns an `ImportReport`.

Spreadsheets export what people paste into them: NUL bytes, escape sequences, a whole document in
one cell, a quote that never closes. Each importer checks every cell with `cell_problem` and reads
its rows through `csv_rows`, so a bad cell is reported with its line like any other bad value,
never an exception (PostgreSQL refuses NUL in text; the csv module raises on a cell past its size
limit) and never stored (a control character in a name ends up in mail headers and exports).
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

#: Longer than any text a row of this platform holds (the longest, a description, is a few
#: paragraphs); beyond it a cell is a pasted document or an attack on the import's memory.
MAX_CELL_CHARS = 20_000

#: Control characters other than tab and line breaks (which a quoted cell may hold): C0, DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def cell_problem(value: str | None, *, column: str) -> str | None:
    """Why the cell `value` of `column` cannot be imported, or None when it can."""
    if not value:
        return None
    if "\x00" in value:
        return _("%(column)s contains a NUL character") % {"column": column}
    control = _CONTROL.search(value)
    if control:
        return _("%(column)s contains a control character (U+%(code)04X)") % {
            "column": column,
            "code": ord(control.group()),
        }
    if len(value) > MAX_CELL_CHARS:
        return _("%(column)s is longer than %(limit)d characters") % {"column": column, "limit": MAX_CELL_CHARS}
    return None


def row_problems(cells: Iterable[tuple[str, str | None]]) -> list[str]:
    """The problems of a row's cells, given as (column, value) pairs."""
    return [problem for column, value in cells if (problem := cell_problem(value, column=column or "?"))]


def header_problem(error: csv.Error) -> str:
    """The error of a header line the csv module cannot read."""
    return _("The header cannot be read (%(error)s).") % {"error": error}


def csv_rows(reader, on_error: Callable[[int, str], None]) -> Iterator:
    """The rows of a csv reader (or DictReader); where the csv module cannot read on (a cell past
    its size limit), `on_error(line, message)` is called once and the rows end there."""
    rows = iter(reader)
    while True:
        read = reader.line_num
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            # The row that failed starts on the line after the last one read in full.
            on_error(read + 1, _("the file cannot be read from here on (%(error)s)") % {"error": error})
            return
        yield row


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
