"""Short tables (the countries) read whole from the cache between requests, until the table changes.

A filter's short list (`core.filters.ShortListChoiceField`) reads its whole table for most users:
staff and partners see every country. A table whose QuerySet says `short_table = True` is kept in
the cache under the table's version, and the version is dropped by every write to the table, and
again when it commits: `save()`, `delete()` and the bulk writes of `RecordedQuerySet` (`update()`,
`bulk_update()`, `bulk_create()`). A queryset narrower than the whole table (a user's scope that is
not everything, or nothing) is read from the database each time, so a kept list never depends on
the user: it is the whole table, in the queryset's order.

The cache must be shared by every process that writes or reads (`CACHE_URL`, which `check --deploy`
asks for with more than one process), as for the rate limits.
"""

import hashlib
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from .signals import rows_written
from .versions import code_version


def is_short_table(model: type[models.Model]) -> bool:
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return bool(getattr(queryset_class, "short_table", False))


def _version_key(model: type[models.Model]) -> str:
    return f"short-table-version:{model._meta.label}"


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
    version = cache.get_or_set(_version_key(model), lambda: uuid.uuid4().hex, timeout=None)
    order = repr((queryset.query.order_by, queryset.query.default_ordering, queryset.db)).encode()
    key = f"short-table-rows:{model._meta.label}:{version}:{code_version()}:{hashlib.sha256(order).hexdigest()[:16]}"
    found = cache.get(key)
    if found is None:
        found = list(queryset)
        cache.set(key, found, timeout=None)
    return found


def table_changed(model: type[models.Model], using: str | None = None) -> None:
    """The next read of the table reads it again: from now on, and again once the write commits.

    Now, so this transaction reads its own write; after the commit, because another request may
    have kept the table as it was before the commit in the meantime. Every bulk write of a recorded
    model comes here, so it also tells `core.signals.rows_written` (for any other cache of rows).
    """
    rows_written.send(sender=model, using=using)
    if is_short_table(model):
        key = _version_key(model)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key), using=using)


def _on_write(sender, using=None, **kwargs) -> None:
    table_changed(sender, using)


def register() -> None:
    """Drop a short table's kept rows after each save and delete (the bulk writes call `table_changed`)."""
    for model in apps.get_models():
        if is_short_table(model):
            uid = f"short_tables:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
