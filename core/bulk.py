"""Writing many new rows at once: PostgreSQL's COPY, streamed while Python makes the next rows.

Rows written here are recorded in the history like saved ones (`core.history.recording`):
one "created" history row per row, or one many-to-many change per row for link tables,
written in bulk too.

`bulk_create` builds one INSERT per batch and prepares every value through the field
machinery; for the hundreds of thousands of rows of `seed_scale` and the 50,000-row import that
costs more than the database's own work. COPY takes plain CSV, and since psycopg2 reads it from
a file-like object on demand, PostgreSQL inserts (and maintains the indexes) on one core while
Python formats the next rows on the other.
"""

import csv
import io
import json
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from .search import normalise
from .short_tables import table_changed, table_written
from .validation import validate_row

COPY_CHUNK = 256 * 1024  # characters of CSV handed to COPY at a time

#: Field types whose Python values CSV writes as PostgreSQL reads them (str() of the value).
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def can_copy() -> bool:
    """PostgreSQL through psycopg2, whose cursors stream COPY from a file-like object."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor, "copy_expert")


class CopyStream:
    """A file-like object for psycopg2's `copy_expert` that formats rows as CSV when COPY asks
    for more data: making (and checking) the next rows overlaps the server's inserts. With
    `lines`, the rows are lines of CSV already (each with its line break)."""

    def __init__(self, rows: Iterable, *, lines: bool = False) -> None:
        self.rows = iter(rows)
        self.buffer = io.StringIO()
        # Every value quoted: in COPY's CSV format an unquoted empty value would be NULL, not "".
        self.write = self.buffer.write if lines else csv.writer(self.buffer, quoting=csv.QUOTE_ALL).writerow
        self.count = 0

    def read(self, size: int = -1) -> str:
        size = max(size, COPY_CHUNK)
        buffer, write = self.buffer, self.write
        for row in self.rows:
            write(row)
            self.count += 1
            if buffer.tell() >= size:
                break
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk


def copy_rows(cursor, table: str, columns: Iterable[str], rows: Iterable[Iterable], *, nullable=()) -> int:
    """COPY `rows` (tuples in `columns` order) into `table`; return how many were written.

    A None in a `nullable` column is written as NULL (FORCE_NULL: the quoted empty string CSV
    makes of it); elsewhere values are taken as they are.
    """
    quote = connection.ops.quote_name
    options = "FORMAT csv"
    if nullable:
        options += f", FORCE_NULL ({', '.join(quote(column) for column in nullable)})"
    return _copy(cursor, table, columns, CopyStream(rows), options)


def copy_lines(cursor, table: str, columns: Iterable[str], lines: Iterable[str]) -> int:
    """COPY lines of CSV already formatted (each ending with a line break) into `table`; return how
    many were written. A value left empty, unquoted, is NULL; a quoted one is taken as it is.

    For many rows whose values are mostly the same on every line: writing those once costs far
    less than csv.writer formatting every value of every row."""
    return _copy(cursor, table, columns, CopyStream(lines, lines=True), "FORMAT csv")


def _copy(cursor, table: str, columns: Iterable[str], stream: CopyStream, options: str) -> int:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN WITH ({options})", stream)
    # Like every other write, COPY drops the table's version, so nothing kept under it outlives it.
    table_written(table, cursor.db.alias)
    return stream.count


def reserve_ids(cursor, table: str, count: int) -> list[int]:
    """`count` ids from the table's sequence, in one query, for rows written with COPY."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
    return [row[0] for row in cursor.fetchall()]


def bulk_insert(model, objects: Iterable, *, batch_size: int = 5_000) -> list:
    """Insert new, unsaved instances like `bulk_create` does (no save(), no signals), and give each its pk.

    Each row first runs the model's rules (`core.validation.validate_row`: its fields, `clean()`
    and check constraints, without a query per row), so a bad row stops the insert with the
    rule's message (a ValidationError) before anything is written. Foreign keys are the
    caller's (the database checks they exist), and so is uniqueness. Rules on many-to-many
    values run when those are written through their model, not when their link rows are.

    On PostgreSQL through COPY, with ids reserved from the sequence (a nullable text column
    holding "" would become NULL; Django's convention keeps text columns not null). Elsewhere,
    `bulk_create`. Either way the rows are recorded in the history, in bulk.
    """
    from core.history.recording import record_created, record_links

    objects = list(objects)
    if not objects:
        return objects
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
    for obj in objects:
        normalise(obj)
        validate_row(obj, resolved=foreign_keys)
    if not can_copy():
        # The plain manager: recorded below, the same way as after COPY.
        objects = model._base_manager.bulk_create(objects, batch_size=batch_size)
    else:
        _copy_insert(model, objects)
    if model._meta.auto_created:
        record_links(model, objects)
    else:
        record_created(model, objects)
    # As after `bulk_create`: what is kept in the cache under the table's version is read again.
    table_changed(model)
    return objects


def _copy_insert(model, objects: list) -> None:
    fields = model._meta.concrete_fields
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                if getattr(obj, field.attname) is None:
                    setattr(obj, field.attname, now)
    converters = [_converter(field) for field in fields]
    attnames = [field.attname for field in fields]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        unsaved = [obj for obj in objects if obj.pk is None]
        for obj, pk in zip(unsaved, reserve_ids(cursor, table, len(unsaved)), strict=True):
            obj.pk = pk
        rows = (
            [convert(getattr(obj, name)) for convert, name in zip(converters, attnames, strict=True)] for obj in objects
        )
        copy_rows(
            cursor, table, [field.column for field in fields], rows, nullable=[f.column for f in fields if f.null]
        )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _converter(field):
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return _same
    if kind == "JSONField":
        return _json_or_null if field.null else json.dumps
    return lambda value: field.get_db_prep_save(value, connection)


def _same(value):
    return value


def _json_or_null(value):
    return None if value is None else json.dumps(value)
