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

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _

from core.exports import csv_uncell
from core.parsing import is_integer
from core.search import fold

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
    cells = list(cells)
    # Nearly every row is clean: one search of the whole row (NUL is a control character too, and
    # no cell is longer than the row) settles it; only a row with something to report is read cell by cell.
    text = "".join(value for _column, value in cells if value)
    if len(text) <= MAX_CELL_CHARS and not _CONTROL.search(text):
        return []
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


@dataclass(frozen=True)
class RowChange:
    """What an import does (or, in a dry run, would do) to the row of one line: its `action`, the row
    as its page names it, and for a changed row each field changed as (label, before, after)."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    line: int
    action: str
    label: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)


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
    #: Each line's row and what happens to it (new, changed with its fields, unchanged).
    changes: list[RowChange] = field(default_factory=list)
    #: How the file was read: its encoding ("XLSX" for a workbook), separator and decimal mark.
    encoding: str = ""
    separator: str = ""
    decimal_mark: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


# Reading a file: CSV in the encodings and separators spreadsheets write, or XLSX.

#: The single-byte encodings older spreadsheets save Spanish text in, besides Windows-1252.
LEGACY_ENCODINGS = ("latin_1", "iso8859_15", "mac_roman", "cp850")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class FileUnreadable(Exception):
    """The file as a whole cannot be read as a table; the message says what was found instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A file read as a table: its header cells, then each row with the line it starts on (1 is the
    header), and how it was read (shown in the report, so a wrong guess is visible)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = "UTF-8"
    separator: str = ","
    #: The decimal mark a CSV's own locale suggests (a `;` file is from a locale writing "1.234,5").
    decimal_mark: str = "."
    #: Where the csv module could not read on (a cell past its size limit); the rows end there.
    errors: list[RowError] = field(default_factory=list)
    #: At least as many as the file's data rows (to reserve ids before they are read).
    max_rows: int = 0
    #: True when the decimal mark is given (an import profile's), not to be guessed from the figures.
    decimal_mark_fixed: bool = False
    #: The file's own name of a column, by its header here, when a column mapping renamed it
    #: (`core.imports.apply_mapping`): a problem names the column as the file heads it.
    labels: dict[str, str] = field(default_factory=dict)

    def column_label(self, position: int) -> str:
        name = self.header[position].strip()
        return self.labels.get(name, name)


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was read in."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as error:
            raise FileUnreadable(
                _("The file starts as UTF-8 but is not UTF-8 at byte %(position)d.") % {"position": error.start}
            ) from None
    for bom, name in ((codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode("utf-16"), name
            except UnicodeDecodeError:
                raise FileUnreadable(_("The file starts as UTF-16 but cannot be read as UTF-16.")) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    if b"\x00" not in data:
        # Windows-1252 first: it is what Excel saves Spanish text in, and on a short file a detector
        # cannot tell it from DOS or Mac code pages (it guesses cp850 for "Región;Año").
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            pass
        best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
        if best is not None:
            return str(best), best.encoding
    guess = from_bytes(data).best()
    detected = guess.encoding if guess is not None else _("binary data")
    raise FileUnreadable(
        _(
            "The file is not text in an encoding the import reads (UTF-8, Windows-1252, ISO-8859-1); it looks like "
            "%(detected)s. Save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
        )
        % {"detected": detected}
    )


def _separator(first_line: str) -> str:
    """The separator of a CSV, from its header line: the candidate found most often outside quotes."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=counts.get)
    if not counts[best]:
        raise FileUnreadable(
            _(
                "The header line has no column separator (looked for a comma, a semicolon, a tab and a vertical "
                "bar); it reads “%(line)s”."
            )
            % {"line": first_line[:80]}
        )
    return best


#: A line as `io.StringIO(text, newline="")` reads one: up to and with its \r\n, \r or \n.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of the text, one at a time, without a copy of the whole text (a StringIO holds
    four bytes per character: 350 MB for a 500,000-row file)."""
    return (match.group() for match in _LINE.finditer(text))


def _csv_table(text: str, encoding: str) -> Table:
    text = text.removeprefix("\ufeff")
    # A data row takes at least one line (csv also ends a line at a lone carriage return).
    return _csv_lines_table(_lines(text), encoding, max_rows=max(text.count("\n"), text.count("\r")) + 1)


def _csv_lines_table(lines: Iterator[str], encoding: str, *, max_rows: int) -> Table:
    """The table of a CSV's lines (each with its line break), read as they come."""
    first = next(lines, "")
    first_line = first.rstrip("\r\n")
    if not first_line.strip():
        raise FileUnreadable(_("The file is empty."))
    separator = _separator(first_line)
    reader = csv.reader(itertools.chain([first], lines), delimiter=separator)
    try:
        header = next(reader)
    except csv.Error as error:
        raise FileUnreadable(header_problem(error)) from None

    table = Table(
        header=header,
        rows=iter(()),
        encoding=encoding,
        separator=separator,
        decimal_mark="," if separator == ";" else ".",
        max_rows=max_rows,
    )

    def rows() -> Iterator[tuple[int, list[str]]]:
        read = reader.line_num
        for row in csv_rows(reader, lambda line, message: table.errors.append(RowError(line, message))):
            # A quoted cell may hold line breaks, so a row starts on the line after the previous row.
            line, read = read + 1, reader.line_num
            if any(cell.strip() for cell in row):
                yield line, [csv_uncell(cell) for cell in row]  # an export of this platform imports back

    table.rows = rows()
    return table


def _xlsx_cell(value) -> str:
    import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_table(data: bytes) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileUnreadable(_("The Excel workbook cannot be read (%(error)s).") % {"error": error}) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or not any(cell is not None for cell in header):
        book.close()
        raise FileUnreadable(_("The first sheet of the workbook is empty."))
    header = [_xlsx_cell(cell).strip() for cell in header]
    while header and not header[-1]:
        header.pop()

    def cells() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, row in enumerate(rows, start=2):
                values = [_xlsx_cell(cell) for cell in row]
                if any(value.strip() for value in values):
                    while len(values) > len(header) and not values[-1].strip():
                        values.pop()
                    yield line, [csv_uncell(value) for value in values] + [""] * (len(header) - len(values))
        finally:
            book.close()

    return Table(
        header=header, rows=cells(), encoding="XLSX", separator="", decimal_mark=".", max_rows=(sheet.max_row or 0) + 1
    )


def _file_table(handle: BinaryIO) -> Table:
    """The table of an open file (the command's), a UTF-8 CSV read as its rows are: a 500,000-row file
    is never held whole, nor its text. The file is checked to be UTF-8 first, in pieces (a file in
    another encoding, or a workbook, is read whole and detected as an upload is)."""
    start = handle.read(4)
    handle.seek(0)
    if start.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return read_table(handle.read())
    decoder = codecs.getincrementaldecoder("utf-8")()
    line_feeds = returns = 0
    try:
        while chunk := handle.read(1 << 20):
            decoder.decode(chunk)
            line_feeds, returns = line_feeds + chunk.count(b"\n"), returns + chunk.count(b"\r")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        handle.seek(0)
        return read_table(handle.read())
    handle.seek(0)
    return _csv_lines_table(_file_lines(handle), "UTF-8", max_rows=max(line_feeds, returns) + 1)


def _file_lines(handle: BinaryIO) -> Iterator[str]:
    """The lines of a UTF-8 file as `_lines` cuts them (at \r\n, \r or \n), a piece of the file at a
    time; a byte order mark is dropped."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest = ""
    while chunk := handle.read(1 << 20):
        text = rest + decoder.decode(chunk)
        # A carriage return at the end may be the first half of \r\n: it waits for the next piece.
        end = len(text) - 1 if text.endswith("\r") else len(text)
        last = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end))
        yield from _lines(text[: last + 1])
        rest = text[last + 1 :]
    rest += decoder.decode(b"", final=True)
    yield from _lines(rest)


def read_table(file: "bytes | str | Table | BinaryIO") -> Table:
    """The table in an uploaded file: CSV (encoding and separator detected) or an XLSX workbook; a
    Table already read (and mapped by an import profile) is returned as it is.

    Raises FileUnreadable with a message naming what was found (the encoding, the separator, an
    old .xls workbook) when it cannot be read."""
    if isinstance(file, Table):
        return file
    if isinstance(file, io.BufferedIOBase | io.RawIOBase):
        return _file_table(file)
    if isinstance(file, str):
        return _csv_table(file, "UTF-8")
    if not file.strip():
        raise FileUnreadable(_("The file is empty."))
    if file.startswith(b"PK\x03\x04"):
        return _xlsx_table(file)
    if file.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(
            _("This is an Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) or as CSV.")
        )
    text, encoding = _decode(file)
    return _csv_table(text, encoding)


# Reading values as people have them: either language, either decimal mark, names or codes.

#: The languages a header, a choice label or a month name is accepted in (the interface's).
LANGUAGES = ("en", "es")


class CellInvalid(Exception):
    """One cell's value cannot be read; the message says why and what is accepted."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def label_key(text: str) -> str:
    """A header or a label compared the way people mean it: folded as search folds (no accents or
    case, so "Región", "region" and "REGION" match), with `_` and `-` taken as spaces."""
    return fold(re.sub(r"[_\-]+", " ", str(text)))


def in_languages(text) -> list[str]:
    """A lazy translation (a verbose name, a choice label) in every language of the interface."""
    found = []
    for language in LANGUAGES:
        with translation.override(language):
            found.append(str(text))
    return found


def column_aliases(model, columns: dict[str, str | None]) -> dict[str, str]:
    """The header names accepted for each column: its own name and, when it stands for a model field,
    the field's verbose name in every language (an export in Spanish writes those)."""
    aliases = {}
    for column, field_name in columns.items():
        aliases[label_key(column)] = column
        if field_name:
            model_field = model._meta.get_field(field_name)
            names = [model_field.verbose_name]
            if model_field.is_relation:  # "regions where it acts" is headed "Regions" too
                target = model_field.related_model._meta
                names += [target.verbose_name_plural if model_field.many_to_many else target.verbose_name]
            for name in (translated for lazy in names for translated in in_languages(lazy)):
                aliases.setdefault(label_key(name), column)
    return aliases


def map_header(header: list[str], aliases: dict[str, str], required: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Where each column is in the header, and every problem of the header at once."""
    positions: dict[str, int] = {}
    problems, unknown, repeated = [], [], []
    for position, name in enumerate(header):
        if not name.strip():
            continue
        column = aliases.get(label_key(name))
        if column is None:
            unknown.append(name.strip())
            if [label_key(other) for other in header].count(label_key(name)) > 1 and name.strip() not in repeated:
                repeated.append(name.strip())
        elif column in positions:
            repeated.append(name.strip())
        else:
            positions[column] = position
    missing = [column for column in required if column not in positions]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        expected = ", ".join(dict.fromkeys(aliases.values()))
        problems.append(
            _("Unknown columns: %(columns)s (expected %(expected)s).")
            % {"columns": ", ".join(unknown), "expected": expected}
        )
    if repeated:
        problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
    return positions, problems


class Choices:
    """A choice column read from its stored value or its label in either language."""

    def __init__(self, choices) -> None:
        self.values = [value for value, _label in choices]
        self.lookup = {}
        for value, label in choices:
            self.lookup[label_key(value)] = value
            for name in in_languages(label):
                self.lookup.setdefault(label_key(name), value)

    def __call__(self, text: str) -> str:
        value = self.lookup.get(label_key(text))
        if value is None:
            raise CellInvalid(
                _("“%(value)s” is not one of %(choices)s.") % {"value": text, "choices": ", ".join(self.values)}
            )
        return value


@cache
def _month_names() -> dict[str, int]:
    from django.utils.dates import MONTHS, MONTHS_3

    names = {}
    for number in range(1, 13):
        for name in (*in_languages(MONTHS[number]), *in_languages(MONTHS_3[number])):
            names[label_key(name)] = number
    names["setiembre"] = names["set"] = 9  # Peru's official spelling (MEF, INEI)
    return names


def month(text: str) -> int | None:
    """A month from its number (its range is the model's rule) or its name or abbreviation in either
    language; None when empty."""
    value = text.strip()
    if not value:
        return None
    if is_integer(value):
        return int(value)
    number = _month_names().get(label_key(value)) if value.isalpha() else None
    if number is None:
        raise CellInvalid(
            _("“%(value)s” is not a month: write 1 to 12 or the month's name (enero, January).") % {"value": text}
        )
    return number


TRUE_WORDS = {"1", "true", "yes", "y", "si", "s", "verdadero", "x"}
FALSE_WORDS = {"", "0", "false", "no", "n", "falso"}


def flag(text: str) -> bool:
    """A yes/no cell in either language."""
    value = label_key(text)
    if value in TRUE_WORDS or value in {label_key(word) for word in in_languages(_("Yes"))}:
        return True
    if value in FALSE_WORDS or value in {label_key(word) for word in in_languages(_("No"))}:
        return False
    raise CellInvalid(_("“%(value)s” is neither yes nor no (sí/no, true/false, 1/0).") % {"value": text})


_EXPONENT = re.compile(r"^[-+]?[0-9.,]+[eE][-+]?[0-9]+$")
_INFINITY = {"inf", "infinity", "infinito", "-inf", "+inf", "-infinity", "+infinity", "#num!", "#div/0!"}


def decimal(text: str, *, decimal_mark: str = ".") -> Decimal:
    """A number as a spreadsheet in either locale writes it: "1.234.567,89" in a file whose decimal
    mark is a comma, "1,234,567.89" in one whose mark is a dot; a figure with a single separator
    followed by one or two digits ("1234,5") is read by that separator in either locale.
    Scientific notation (what Excel shows in a narrow column), NaN and infinities are refused, each
    with its own message: they are never a figure someone meant to import."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    folded = value.casefold()
    if folded in {"nan", "-nan", "+nan", "#n/a", "#n/d", "n/a"}:
        raise CellInvalid(_("“%(value)s” is not a number (NaN).") % {"value": text})
    if folded in _INFINITY:
        raise CellInvalid(_("“%(value)s” is an infinite or undefined figure, not an amount.") % {"value": text})
    if _EXPONENT.match(value):
        raise CellInvalid(
            _(
                "“%(value)s” is in scientific notation, which rounds the figure: format the column as a number "
                "with all its digits and save again."
            )
            % {"value": text}
        )
    thousands = "," if decimal_mark == "." else "."
    negative = value.startswith("-")
    digits = value.removeprefix("-").removeprefix("+")
    if thousands in digits and decimal_mark not in digits and re.fullmatch(r"[0-9]+[.,][0-9]{1,2}", digits):
        digits = digits.replace(thousands, decimal_mark)  # "1234.5" in a comma file is still 1234.5
    whole, _mark, fraction = digits.partition(decimal_mark)
    if thousands in whole:
        groups = whole.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            raise CellInvalid(_invalid_number(text, decimal_mark))
        whole = "".join(groups)
    plain = f"{'-' if negative else ''}{whole}" + (f".{fraction}" if _mark else "")
    if not re.fullmatch(r"-?[0-9]{1,18}(\.[0-9]{1,18})?", plain):
        raise CellInvalid(_invalid_number(text, decimal_mark))
    return Decimal(plain)


def _invalid_number(text: str, decimal_mark: str) -> str:
    if decimal_mark == ",":
        return _("“%(value)s” is not a number as this file writes them (1.234.567,89).") % {"value": text}
    return _("“%(value)s” is not a number as this file writes them (1,234,567.89).") % {"value": text}


def text_within(text: str, *, limit: int) -> str:
    """A text cell that must fit its column: too long is an error naming the limit, never a cut."""
    value = unicodedata.normalize("NFC", text.strip())
    if len(value) > limit:
        raise CellInvalid(
            _("is %(length)d characters long; the limit is %(limit)d.") % {"length": len(value), "limit": limit}
        )
    return value


_COMMA_DECIMAL = re.compile(
    r"-?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+|-?[0-9]+,([0-9]{1,2}|[0-9]{4,})|-?[0-9]{1,3}(\.[0-9]{3}){2,}"
)
_DOT_DECIMAL = re.compile(
    r"-?[0-9]{1,3}(,[0-9]{3})+\.[0-9]+|-?[0-9]+\.([0-9]{1,2}|[0-9]{4,})|-?[0-9]{1,3}(,[0-9]{3}){2,}"
)


def decimal_mark_of(values: Iterable[str], *, default: str) -> str:
    """The decimal mark a file's figures use, from the ones that tell ("1.234,5" and "12,50" a comma,
    "1,234.5" and "12.50" a dot; "1.234" tells nothing); `default` (from the separator) when none do."""
    comma = dot = 0
    for value in values:
        value = value.strip().replace("\u00a0", "").replace(" ", "")
        if _COMMA_DECIMAL.fullmatch(value):
            comma += 1
        elif _DOT_DECIMAL.fullmatch(value):
            dot += 1
    if comma != dot:
        return "," if comma > dot else "."
    return default
