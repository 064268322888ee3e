"""History rows as people read them: field names and choice labels in the reader's language,
linked records by name, dates in the local format, old → new for each field.

Values are stored as the row held them (ids, choice values, ISO dates) and turned into words
only here, so a change reads in Spanish to one reader and in English to another. The names of
linked records are looked up for a whole page of changes at once: one query per linked model,
whatever the number of changes.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.encoding import smart_str
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .recording import HIDDEN


@dataclass
class FieldChange:
    """One field of one change: its label and the value before and after (words, not ids)."""

    label: str
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hidden: bool = False

    @property
    def is_m2m(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class ChangeView:
    """One history row: who, when, through what, on which record, and its field changes."""

    entry: Any
    who: str
    channel: str
    source: str
    action: str
    record: str
    model_name: str
    history_url: str
    fields: list[FieldChange]


def history_url(model: type[models.Model], pk: Any) -> str:
    return reverse("core:history", kwargs={"model": model._meta.label_lower, "pk": pk})


def change_views(entries: list) -> list[ChangeView]:
    """The rows of a page of changes, with every linked record's name looked up in bulk."""
    names = _linked_names(entries)
    views = []
    for entry in entries:
        model = entry.content_type.model_class()
        views.append(
            ChangeView(
                entry=entry,
                who=_who(entry),
                channel=entry.get_channel_display(),
                source=entry.source,
                action=entry.get_action_display(),
                record=_stored_name(model, entry.object_repr),
                model_name=capfirst(model._meta.verbose_name) if model else entry.content_type.model,
                history_url=history_url(model, entry.object_id) if model and entry.object_id is not None else "",
                fields=_fields(entry, model, names),
            )
        )
    return views


def _stored_name(model, name: str) -> str:
    """A record's name as written down at the time of the change, in the reader's language where the
    model says how to read it (`history_name`: a country's ISO name, translated)."""
    reader = getattr(model, "history_name", None)
    return reader(name) if reader is not None else name


def _who(entry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    if entry.actor_email:
        return entry.actor_email
    return _("nobody signed in") if entry.channel in ("page", "api") else _("the system")


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _linked_names(entries: list) -> dict[type[models.Model], dict[Any, str]]:
    """{related model: {pk: name}} for every foreign key value on the page: one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _model_field(model, name)
            if model_field is not None and model_field.many_to_one and isinstance(values, list):
                wanted[model_field.related_model].update(value for value in values if value not in (None, ""))
    names = {}
    for related, pks in wanted.items():
        names[related] = {
            smart_str(obj.pk): smart_str(obj) for obj in related._base_manager.filter(pk__in=pks) if obj is not None
        }
    return names


def _fields(entry, model, names) -> list[FieldChange]:
    rows = []
    creating = entry.action == 0
    for name, values in sorted((entry.changes or {}).items(), key=lambda item: _order(model, item[0])):
        model_field = _model_field(model, name)
        label = capfirst(model_field.verbose_name if model_field is not None else _extra_label(model, name))
        if isinstance(values, dict) and values.get("type") == "m2m":
            related = model_field.related_model if model_field is not None else None
            objects = [_stored_name(related, smart_str(value)) for value in values.get("objects", ())]
            added, removed = (objects, []) if values.get("operation") == "add" else ([], objects)
            rows.append(FieldChange(label=label, old="", new="", added=added, removed=removed))
            continue
        if not isinstance(values, list) or len(values) != 2:
            continue
        old, new = values
        if HIDDEN in (old, new):
            rows.append(FieldChange(label=label, old="", new="", hidden=True))
            continue
        if creating and new in (None, "", [], {}):
            continue  # a new row's empty fields say nothing
        if entry.action == 2 and old in (None, "", [], {}):
            continue
        rows.append(FieldChange(label=label, old=_word(model_field, old, names), new=_word(model_field, new, names)))
    return rows


def _extra_label(model, name: str) -> str:
    """A recorded change that is not a column (a reset of the user's second factor) is named by
    the model's `history_labels`."""
    return smart_str(getattr(model, "history_labels", {}).get(name, name))


def _order(model, name: str) -> int:
    """Fields in the order the model declares them."""
    if model is None:
        return 0
    for position, model_field in enumerate(model._meta.get_fields()):
        if model_field.name == name:
            return position
    return 10_000


def _word(model_field, value, names) -> str:
    """A stored value as a reader sees it."""
    if value in (None, "", [], {}):
        return ""
    if model_field is None:
        return smart_str(value)
    if model_field.many_to_one:
        return names.get(model_field.related_model, {}).get(smart_str(value)) or _("#%(id)s (deleted)") % {"id": value}
    if model_field.choices:
        return smart_str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    elif isinstance(model_field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return formats.date_format(day, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(smart_str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return smart_str(value)
