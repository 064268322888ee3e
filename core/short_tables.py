"""Short tables (the countries) read whole from the cache between requests, until the table changes.

A filter's short list (`core.filters.ShortListChoiceField`) reads its whole table for most users:
staff and partners see every country. A table whose QuerySet says `short_table = True` is kept in
the cache under the table's version, and the version is dropped by every write to the table, and
again when it commits: `save()`, `delete()` and the bulk writes of `RecordedQuerySet` (`update()`,
`bulk_update()`, `bulk_create()`). A queryset narrower than the whole table (a user's scope that is
not everything, or nothing) is read from the database each time, so a kept list never depends on
the user: it is the whole table, in the queryset's order.

A value read on every request (the short lists, a list's total, an API token) is filed with the
versions it was computed under (`keep`), so one round trip to the cache reads the versions and the
value together (`read_kept`), and a value filed under versions a write has since dropped is not taken.

A table whose QuerySet says `versioned_table = True` (assessments, stakeholders, relationships) is not
kept whole, but has a version all the same, dropped by the same writes: `table_version()` is then
part of the key of a rendering drawn from many of its rows (the stakeholder map, the relationship
network), which a write to the table makes another key without reading the rows to find out.

The cache must be shared by every process that writes or reads (`CACHE_URL`, which `check --deploy`
asks for with more than one process), as for the rate limits.
"""

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .versions import code_version, rendering_key

T = TypeVar("T")


def is_short_table(model: type[models.Model]) -> bool:
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return bool(getattr(queryset_class, "short_table", False))


def is_versioned(model: type[models.Model]) -> bool:
    """Whether writes to the table drop its version: a short table, or one that says `versioned_table`."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return is_short_table(model) or bool(getattr(queryset_class, "versioned_table", False))


def table_version(*tables: type[models.Model]) -> tuple[str, ...]:
    """The current version of each table (read in one round trip): any write to one of them changes it."""
    keys = [_version_key(model) for model in tables]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # add(), not set(): two readers making the first version agree on the one that was stored first.
        for key, value in missing.items():
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)
            found[key] = value
    return tuple(found[key] for key in keys)


#: How long a figure or a rendering kept under table versions lives at most; writes drop it sooner
#: (its key names the versions, or it is filed with them: `keep`). Short, because a transaction that
#: wrote, read the figure and then rolled back leaves a figure of rows that never were, and there is
#: no hook on rollback. The cache must be shared by every process (`CACHE_URL`).
KEPT_TIMEOUT = 15 * 60


def _version_key(model: type[models.Model]) -> str:
    return f"short-table-version:{model._meta.label}"


def read_kept(key: str, tables: Sequence[type[models.Model]]) -> tuple[tuple[str, ...], Any]:
    """The current version of each table, and what `key` holds if it was kept under those versions
    (`keep`), else None: both in one round trip to the cache.

    A value filed with the versions it was computed under, rather than under a key that names them,
    is read without first reading the versions; one kept under versions a write has since dropped is
    never taken, as one under a key naming them would never be found."""
    version_keys = [_version_key(model) for model in tables]
    found = cache.get_many([*version_keys, key])
    if any(version_key not in found for version_key in version_keys):
        return table_version(*tables), None  # a table written since: nothing kept under its new version
    versions = tuple(found[version_key] for version_key in version_keys)
    held = found.get(key)
    if isinstance(held, tuple) and len(held) == 2 and held[0] == versions:
        return versions, held[1]
    return versions, None


def keep(key: str, versions: tuple[str, ...], value: Any, timeout: int | None = KEPT_TIMEOUT) -> None:
    """File `value` under `key` with the versions `read_kept` gave before it was computed."""
    cache.set(key, (versions, value), timeout)


def kept_under_versions(key: str, tables: Sequence[type[models.Model]], compute: Callable[[], T]) -> T:
    """`compute()`, kept (`KEPT_TIMEOUT` at most) until a write to one of `tables`: one round trip when kept."""
    versions, value = read_kept(key, tables)
    if value is None:
        value = compute()
        keep(key, versions, value)
    return value


def _is_whole_table(queryset: models.QuerySet) -> bool:
    query = queryset.query
    return not (
        query.where
        or query.is_sliced
        or query.distinct
        or query.annotations
        or query.extra
        or query.select_related
        or len(query.alias_map) > 1
        or query.deferred_loading != (frozenset(), True)
        or queryset._prefetch_related_lookups
        or queryset._fields is not None
    )


def rows(queryset: models.QuerySet) -> list[models.Model]:
    """The queryset's rows: from the cache when it is a whole short table, else from the database."""
    model = queryset.model
    if not is_short_table(model) or not _is_whole_table(queryset):
        return list(queryset)
    order = repr((queryset.query.order_by, queryset.query.default_ordering, queryset.db)).encode()
    key = f"short-table-rows:{model._meta.label}:{code_version()}:{hashlib.sha256(order).hexdigest()[:16]}"
    versions, found = read_kept(key, (model,))
    if found is None:
        found = list(queryset)
        keep(key, versions, found, timeout=None)  # rows kept whole, until the table changes
    return found


def kept(key: str, compute: Callable[[], T], *, timeout: int = KEPT_TIMEOUT) -> T:
    """`compute()`, from the cache while `key` is unchanged: the one way a figure or a drawing is kept.

    A key that names the versions of the tables it reads (`table_version`) is kept `KEPT_TIMEOUT` at
    most; one that holds every value it shows (`core.versions.rendering_key`) can be kept longer,
    since a change is another key."""
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    return found


#: The tables an SQL statement reads: each is named, quoted, after a FROM or a JOIN (Django's SQL).
_READ_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"')


def query_text(queryset: models.QuerySet) -> str:
    """The SQL a queryset would run, for a cache key that says its conditions (the reader's scope as
    `visible_to` wrote it): "" for one that can match nothing and so runs no query."""
    try:
        return str(queryset.query)
    except EmptyResultSet:
        return ""


def tables_read_by(sql: str, *shown: type[models.Model]) -> list[type[models.Model]] | None:
    """The versioned tables an SQL statement reads (a link table's is its owner's) and the `shown`
    tables, in one order whatever the order given; None when it reads a table without a version,
    whose writes would not show."""
    unversioned = [model._meta.label for model in shown if not is_versioned(model)]
    if unversioned:
        raise ValueError(f"No version tells the writes to {', '.join(unversioned)}: declare `versioned_table`.")
    owners = _versioned_tables()
    tables = set(_READ_TABLES.findall(sql))
    if not tables <= owners.keys():
        return None
    return sorted({*shown, *(owners[table] for table in tables)}, key=lambda model: model._meta.label)


def versions_read_by(sql: str, *shown: type[models.Model]) -> tuple[str, ...] | None:
    """The versions of `tables_read_by(sql, *shown)`, in one round trip: with the SQL, the key of
    what is drawn from its rows and those tables' (`kept`). None when it reads a table without a version."""
    tables = tables_read_by(sql, *shown)
    return None if tables is None else table_version(*tables)


def kept_drawing(name: str, sql: str, shown: Sequence[type[models.Model]], draw: Callable[[], T], *parts) -> T:
    """`draw()`, kept under the versions of the tables `sql` reads and of the `shown` ones
    (`versions_read_by`), with the SQL (the reader's scope) and `parts` in its key (`rendering_key`);
    drawn each time when `sql` reads a table without a version."""
    versions = versions_read_by(sql, *shown)
    if versions is None:
        return draw()
    return kept(rendering_key(name, versions, sql, *parts), draw)


def reader_scope(*querysets: models.QuerySet) -> tuple[str, ...]:
    """What tells two readers' views of the rows apart, for the key of a rendering kept for both: the
    SQL of each queryset's conditions (`visible_to(user)`, `editable_by(user)`). One column says them
    as well as all of them, and is cheaper to write."""
    return tuple(query_text(queryset.values("pk")) for queryset in querysets)


def kept_count(queryset: models.QuerySet) -> int:
    """The queryset's count, kept in the cache under the versions of the tables its SQL reads, when
    every one of them is versioned (or the link table of a versioned model); else from the database.

    A list page's total reads every matching row, so its cost grows with the table, while the page
    of rows it heads does not. The key is the SQL with its parameters, which say the user's scope
    as `visible_to` wrote it, so two users with different scopes never share a count.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return queryset.count()  # no query at all (`pk__in=[]`)
    read = tables_read_by(sql) if _READ_TABLES.search(sql) else None
    if read is None:
        return queryset.count()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    return kept_under_versions(f"kept-count:{code_version()}:{digest}", read, queryset.count)


@functools.cache
def _versioned_tables() -> dict[str, type[models.Model]]:
    """Each table whose writes drop a version, and the model whose version it is (a link table's owner)."""
    owners = {}
    for model in apps.get_models():
        if is_versioned(model):
            owners[model._meta.db_table] = model
            for field in model._meta.local_many_to_many:
                owners[field.remote_field.through._meta.db_table] = model
    return owners


def table_changed(model: type[models.Model], using: str | None = None) -> None:
    """The next read of the table reads it again: from now on, and again once the write commits.

    Now, so this transaction reads its own write; after the commit, because another request may
    have kept the table as it was before the commit in the meantime. A write to a link table (rows
    inserted straight into it: `core.bulk`, COPY) is a write to the table of the model that declares it.
    """
    model = _declared_by.get(model, model)
    if is_versioned(model):
        key = _version_key(model)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key), using=using)


def table_written(table: str, using: str | None = None) -> None:
    """`table_changed` for rows written straight to a table by its name (COPY: `core.bulk.copy_rows`)."""
    model = _models_by_table().get(table)
    if model is not None:
        table_changed(model, using)


def _models_by_table() -> dict[str, type[models.Model]]:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _on_write(sender, using=None, **kwargs) -> None:
    table_changed(sender, using)


def _on_links_changed(sender, action: str, using=None, **kwargs) -> None:
    if action.startswith("post_"):
        table_changed(_declared_by[sender], using)


#: Each many-to-many link table of a versioned model, and that model: a change to the links (the
#: participants of an engagement) is a write to the model's table, as a change to a column is.
_declared_by: dict[type[models.Model], type[models.Model]] = {}


def register() -> None:
    """Drop a versioned table's version after each save and delete, and after each change to its
    many-to-many links (the bulk writes call `table_changed`)."""
    for model in apps.get_models():
        if is_versioned(model):
            uid = f"short_tables:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                _declared_by[field.remote_field.through] = model
                m2m_changed.connect(_on_links_changed, sender=field.remote_field.through, dispatch_uid=uid)
