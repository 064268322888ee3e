"""Read-only list rows built straight from `.values()`: the serializers' JSON without their field machinery.

The hot lists (stakeholders, a coalition's members, an initiative's map) answer thousands of
rows a minute; DRF's fields build a model instance, a manager per many-to-many and a field object
per value for each row (bench/README.md has the measurement). These helpers give the same values the fields would:

- `datetime_text()`: what `serializers.DateTimeField` writes (ISO 8601 in the current time zone,
  `Z` for UTC);
- `date_text()`: what `serializers.DateField` writes;
- `briefs()`: the brief of each related row the user may see, so a row out of sight is null,
  exactly as the viewsets' scoped prefetch makes it (`ScopedModelViewSet.scoped_relations`).

Every builder is checked against its ModelSerializer by a test, so the JSON cannot drift.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.db import models
from django.utils import timezone


def datetime_text() -> Callable[[datetime | None], str | None]:
    """A function writing a datetime as `serializers.DateTimeField` does, for the current time zone."""
    zone = timezone.get_current_timezone()

    def text(value: datetime | None) -> str | None:
        if not value:
            return None
        written = value.astimezone(zone).isoformat()
        return written[:-6] + "Z" if written.endswith("+00:00") else written

    return text


def date_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def briefs(user, model: type[models.Model], ids: Iterable[int | None], fields: tuple[str, ...]) -> dict[int, dict]:
    """`{id: {field: value}}` for the rows among `ids` that `user` may see (one query, none without ids)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    rows = model.objects.visible_to(user).filter(pk__in=wanted).order_by().values(*fields)
    return {row["id"]: row for row in rows}


def joined_brief(row: dict, prefix: str, fields: tuple[str, ...]) -> dict | None:
    """The brief of a related row read from joined `.values()` columns (`prefix__field`), or None."""
    if row[f"{prefix}__id"] is None:
        return None
    return {field: row[f"{prefix}__{field}"] for field in fields}
