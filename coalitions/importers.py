"""Import back the coalition tables the downloads write (coalitions/exports.py): initiatives,
coalitions, memberships, engagements, commitments and outcomes, through the pipeline of core/importers.py.

The file is what the download wrote, in either language, or a sheet made like it: CSV in any common
encoding and separator, or XLSX (`core.importers.read_table`). Its header names the table's columns by
field name or verbose name in English or Spanish ("Coalition", "Coalición"); a choice takes its value
or its label in either language, a yes/no column sí/no, true/false, 1/0, a date ISO form (2026-02-01)
or day/month/year; a relation the name the download writes (a stakeholder's "Name (ACRONYM)") or an
id. A computed column of the download ("Active members") is read and ignored.

- A row with an `id` updates that row if the user may edit it (a changed row they may only see is an
  error); a row whose values are the stored ones changes nothing, so a download imports back unchanged. A row without an
  `id` creates one, in the user's countries only.
- Each new or changed row goes through the model's rules (`full_clean`, as a page's form runs them,
  one row at a time: these tables hold hundreds of rows, not the directory's thousands) and is written
  by the service the pages use: `coalition_create`, `engagement_log`,
  `Commitment.mark_done` for a commitment only marked done, `save_valid` otherwise.
- Every problem of every row is reported at once; any problem means nothing is written; `dry_run`
  checks and reports what would be new, changed and unchanged.
"""

import copy
import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.importers import (
    CellInvalid,
    Choices,
    FileUnreadable,
    ImportReport,
    RowChange,
    RowError,
    column_aliases,
    flag,
    in_languages,
    label_key,
    map_header,
    read_table,
    row_problems,
    text_within,
)
from core.imports import ImportKind, Target, register
from core.validation import full_clean, save_valid

from .exports import TABLES
from .models import Coalition, Commitment, Engagement
from .services import coalition_create, engagement_log

#: The import kinds, one per download (`import_data coalitions FILE`).
KINDS = tuple(TABLES)

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _date(text: str) -> datetime.date | None:
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        pass
    match = _DAY_FIRST.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise CellInvalid(_("“%(value)s” is not a date (write 2026-02-01 or 01/02/2026).") % {"value": text})


class _Related:
    """The rows a relation column may name, by the name the download writes or by id, loaded in one
    query for the names and ids in the file."""

    def __init__(self, field: models.ForeignKey, user, texts: Iterable[str]) -> None:
        self.field = field
        model = field.related_model
        rows = model.objects.visible_to(user) if user is not None else model.objects.all()
        texts = {text.strip() for text in texts if text.strip()}
        ids = {int(text) for text in texts if text.isdigit()}
        # A stakeholder is written "Name (ACRONYM)": look the name up without its acronym too.
        names = texts | {re.sub(r"\s*\([^()]*\)$", "", text) for text in texts}
        if not getattr(rows, "short_table", False):  # a country's name is translated: read the few whole
            rows = rows.filter(models.Q(pk__in=ids) | models.Q(name__in=names))
        found = list(rows)
        self.by_id = {row.pk: row for row in found}
        self.by_name: dict[str, list] = {}
        for row in found:
            for name in dict.fromkeys(_names_of(row)):
                self.by_name.setdefault(name, []).append(row)

    def __call__(self, text: str):
        value = unicodedata.normalize("NFC", text.strip())
        if not value:
            return None
        named = self.by_name.get(value, [])
        if len(named) == 1:
            return named[0]
        if not named and value.isdigit() and int(value) in self.by_id:
            return self.by_id[int(value)]
        verbose = self.field.related_model._meta.verbose_name
        if named:
            raise CellInvalid(
                _("%(count)d rows of %(model)s are named “%(value)s”: write the id of the one you mean.")
                % {"count": len(named), "model": verbose, "value": value}
            )
        raise CellInvalid(_("no %(model)s “%(value)s” that you can see") % {"model": verbose, "value": value})


def _names_of(row: models.Model) -> list[str]:
    """The names a download may have written for a row: its text in every language, its code if it has one."""
    names = [unicodedata.normalize("NFC", str(name)) for name in in_languages(_Text(row))]
    code = getattr(row, "code", None)
    return [*names, code] if isinstance(code, str) and code else names


class _Text:
    """A row whose text is read when it is shown (in the active language), as `in_languages` reads a label."""

    def __init__(self, row: models.Model) -> None:
        self.row = row

    def __str__(self) -> str:
        return str(self.row)


def _may_write(user, obj: models.Model) -> bool:
    """Whether the user may write this row (new or changed) in its country: the command (no user) and
    admins anywhere, program staff in their countries, anyone else nowhere."""
    if user is None or user.is_admin:
        return True
    if not user.is_program_staff:
        return False
    country_id = type(obj).objects.country_pks_of([obj])[0]
    return country_id in user.team_country_ids


def table_columns(kind: str) -> tuple[dict[str, str], list[str]]:
    """The header names a kind's file may use for each column (folded by `label_key`: the field's name,
    its verbose name in either language, a computed column's header), and the columns a file must have."""
    table = TABLES[kind]
    fields = {name: table.model._meta.get_field(name) for name in table.fields}
    aliases = column_aliases(table.model, {"id": None, **{name: name for name in fields}})
    for name, header, _expression in table.extra:  # computed columns: read and ignored
        for text in (name, *in_languages(header)):
            aliases.setdefault(label_key(text), name)
    required = [
        name
        for name, field in fields.items()
        if not (field.blank or field.null or field.has_default()) and not isinstance(field, models.BooleanField)
    ]
    return aliases, required


def table_import(*, kind: str, file: bytes | str, user=None, dry_run: bool = False) -> ImportReport:
    """Check every row of a coalition table's file, then write all of them or none (`dry_run`: none)."""
    table = TABLES[kind]
    model = table.model
    try:
        read = read_table(file)
    except FileUnreadable as error:
        return ImportReport(kind=kind, errors=[RowError(1, error.message)])
    fields = {name: model._meta.get_field(name) for name in table.fields}
    aliases, required = table_columns(kind)
    positions, problems = map_header(read.header, aliases, required)
    if problems:
        return ImportReport(kind=kind, errors=[RowError(1, problem) for problem in problems])
    rows = list(read.rows)
    report = ImportReport(kind=kind, dry_run=dry_run, encoding=read.encoding, separator=read.separator)
    report.errors.extend(read.errors)

    def cell(row: list[str], column: str) -> str:
        position = positions.get(column)
        return row[position] if position is not None and position < len(row) else ""

    readers = {}
    for name, field in fields.items():
        if name not in positions:
            continue
        if field.choices:
            readers[name] = Choices(field.choices)
        elif field.is_relation:
            readers[name] = _Related(field, user, (cell(row, name) for _line, row in rows))
        elif isinstance(field, models.BooleanField):
            readers[name] = flag
        elif isinstance(field, models.DateField):
            readers[name] = _date
    ids = {int(value) for _line, row in rows if (value := cell(row, "id").strip()).isdigit()}
    # A download holds every row the user sees; one left as it was imports unchanged, one changed must be theirs.
    visible = model.objects.visible_to(user) if user is not None else model.objects.all()
    targets = {row.pk: row for row in visible.filter(pk__in=ids).select_related(*table.related)}
    editable = model.objects.editable_by(user) if user is not None else model.objects.all()
    editable_ids = set(editable.filter(pk__in=ids).values_list("pk", flat=True))

    writes = []
    for line, row in rows:
        if len(row) != len(read.header):
            counts = {"expected": len(read.header), "found": len(row)}
            report.errors.append(RowError(line, _("Expected %(expected)d columns, found %(found)d.") % counts))
            continue
        problems = row_problems(zip(read.header, row, strict=True))
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
            continue
        target = None
        pk = cell(row, "id").strip()
        if pk:
            target = targets.get(int(pk)) if pk.isdigit() else None
            if target is None:
                message = _("no %(model)s with id %(value)s that you can see")
                report.errors.append(RowError(line, message % {"model": model._meta.verbose_name, "value": pk}))
                continue
        candidate = copy.copy(target) if target is not None else model()
        changed = []
        for name, field in fields.items():
            if name not in positions:
                continue
            text = cell(row, name)
            before = getattr(target, name) if target is not None else None
            try:
                value = _value(field, readers.get(name), text, before)
            except CellInvalid as error:
                problems.append(f"{field.verbose_name}: {error.message}")
                continue
            if target is None or value != before:
                setattr(candidate, name, value)
                if target is not None:
                    changed.append((name, before, value))
        if not problems and (target is None or changed):
            if target is not None and target.pk not in editable_ids:
                problems.append(_("you may not edit this %(model)s") % {"model": model._meta.verbose_name})
            elif not _may_write(user, candidate):
                problems.append(_("you may not write %(model)s rows there") % {"model": model._meta.verbose_name})
            else:
                try:
                    full_clean(candidate)
                except ValidationError as error:
                    problems.extend(error.messages)
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
            continue
        if target is None:
            report.changes.append(RowChange(line, RowChange.NEW, str(candidate)))
            writes.append((candidate, None, []))
        elif changed:
            labels = [(str(fields[name].verbose_name), before, after) for name, before, after in changed]
            report.changes.append(RowChange(line, RowChange.CHANGED, str(target), labels))
            writes.append((candidate, target, changed))
        else:
            report.changes.append(RowChange(line, RowChange.UNCHANGED, str(target)))
    if not rows and not report.errors:
        report.errors.append(RowError(1, _("The file has no rows to import.")))
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        report.changes = []
        return report
    report.rows = len(report.changes)
    report.created = sum(1 for change in report.changes if change.action == RowChange.NEW)
    report.updated = sum(1 for change in report.changes if change.action == RowChange.CHANGED)
    report.unchanged = report.rows - report.created - report.updated
    if not dry_run:
        with transaction.atomic():
            for candidate, target, changed in writes:
                _write(table, candidate, target, [name for name, _before, _after in changed], user)
    return report


def _value(field: models.Field, reader, text: str, before):
    """A cell's value for `field`; `before` (the row's stored value) when the cell says the same."""
    if field.is_relation:
        if before is not None and unicodedata.normalize("NFC", text.strip()) in _names_of(before):
            return before  # the name the download wrote, even if another row has it too
        value = reader(text)
        if value is None and not field.null:
            raise CellInvalid(_("is required"))
        return value
    if reader is not None:
        if isinstance(field, models.BooleanField) or text.strip():
            return reader(text)
        if field.null:
            return None
        if field.has_default():
            return field.get_default()
        raise CellInvalid(_("is required"))
    if isinstance(field, models.TextField):
        value = unicodedata.normalize("NFC", text)
        return before if before is not None and value.strip() == before.strip() else value.strip()
    value = text_within(text, limit=field.max_length or 10**6)
    if not value and not field.blank:
        raise CellInvalid(_("is required"))
    return value


def _write(table, candidate: models.Model, target: models.Model | None, changed: list[str], user) -> None:
    """One checked row, written through the service its page uses."""
    values = {name: getattr(candidate, name) for name in table.fields}
    if isinstance(candidate, Coalition) and target is None:
        coalition_create(fields=values)
    elif isinstance(candidate, Engagement):
        engagement_log(fields=values, engagement=target, recorded_by=user)
    elif isinstance(candidate, Commitment) and changed == ["status"] and candidate.status == Commitment.Status.DONE:
        target.mark_done()
    else:
        if target is None and hasattr(candidate, "recorded_by_id") and user is not None:
            candidate.recorded_by = user
        save_valid(candidate)


def _kind(kind: str) -> ImportKind:
    """The import page's and `import_data`'s entry for one coalition table (core.imports)."""
    model = TABLES[kind].model

    def run(*, file, user=None, dry_run: bool) -> ImportReport:
        return table_import(kind=kind, file=file, user=user, dry_run=dry_run)

    required = set(table_columns(kind)[1])
    targets = tuple(
        Target(name, "id" if name == "id" else model._meta.get_field(name).verbose_name, required=name in required)
        for name in ("id", *TABLES[kind].fields)
    )
    return ImportKind(
        name=kind,
        label=model._meta.verbose_name_plural,
        targets=targets,
        run=run,
        aliases=lambda: table_columns(kind)[0],
    )


for _name in KINDS:
    register(_kind(_name))
