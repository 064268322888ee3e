"""The personal-data registry: every model and field that holds personal data, and how to find one person's rows.

pretix's data shredder, at this project's size. Each app lists what it holds in its own
`personal_data.py`, imported when the apps are ready (`autodiscover`, from `CoreConfig.ready`):

- `register_subject` for a record that *is* a person who may ask for their data (an explorer,
  a stakeholder's contact person): the record itself is one of the holdings;
- `register` for every other row holding that person's data: a copy (a contact request sent
  from their address, a notification or mail quoting it, the history of those rows), found
  from the `Subject` through `rows`.

Export and erasure of one person (`core.services.personal_data_export` / `_erase`) go through
this list and nothing else, so a model added here is exported and erased everywhere at once,
and the history rows of every row found are scrubbed rather than kept with the data
(`core.ObjectChange`, registered below). `core/tests/test_personal_data_registry.py` checks that
every registered field exists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

#: The rows go (with their history scrubbed afterwards).
DELETE = "delete"
#: History rows: their values of the erased rows' fields are replaced, the changes themselves stay.
SCRUB = "scrub"


@dataclasses.dataclass(frozen=True)
class Holding:
    """Rows of one model that hold a person's data, and which of its fields do."""

    label: str
    fields: tuple[str, ...]
    rows: Callable[[Subject], models.QuerySet]
    description: Any
    erase: str = DELETE
    #: Run once before the rows are erased (say, keep a hash so the address is never mailed again).
    on_erase: Callable[[Subject], None] | None = None
    #: The person's own record: erased after every copy.
    is_record: bool = False
    #: A log of the other holdings' rows (the history, the admin's log): found from them, never a source.
    is_log: bool = False

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


@dataclasses.dataclass(frozen=True)
class SubjectKind:
    """A kind of record that is a person: its name in URLs, its model, what the staff page searches."""

    name: str
    label: str
    search_fields: tuple[str, ...]
    email_field: str
    #: Foreign keys the record's name or page needs (joined in the staff page's search).
    select_related: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    @property
    def verbose_name_plural(self) -> str:
        return self.model._meta.verbose_name_plural


_HOLDINGS: list[Holding] = []
_SUBJECTS: dict[str, SubjectKind] = {}


def register(
    label: str,
    *,
    fields: Iterable[str],
    rows: Callable[[Subject], models.QuerySet],
    description: Any,
    erase: str = DELETE,
    on_erase: Callable[[Subject], None] | None = None,
    is_log: bool = False,
) -> None:
    """List a model's rows holding a person's data: `rows(subject)` finds them, `fields` are the personal ones."""
    _HOLDINGS.append(
        Holding(
            label=label,
            fields=tuple(fields),
            rows=rows,
            description=description,
            erase=erase,
            on_erase=on_erase,
            is_log=is_log,
        )
    )


def register_subject(
    name: str,
    label: str,
    *,
    fields: Iterable[str],
    description: Any,
    search_fields: Iterable[str] = ("name", "email"),
    email_field: str = "email",
    select_related: Iterable[str] = (),
) -> None:
    """A kind of record that is a person who may ask for their data; the record is one of the holdings."""
    _SUBJECTS[name] = SubjectKind(
        name=name,
        label=label,
        search_fields=tuple(search_fields),
        email_field=email_field,
        select_related=tuple(select_related),
    )

    def own_record(subject: Subject) -> models.QuerySet:
        manager = apps.get_model(label)._default_manager
        return manager.filter(pk=subject.pk) if subject.kind.name == name else manager.none()

    _HOLDINGS.append(
        Holding(label=label, fields=tuple(fields), rows=own_record, description=description, is_record=True)
    )


def holdings() -> list[Holding]:
    return list(_HOLDINGS)


def subject_kinds() -> dict[str, SubjectKind]:
    return dict(_SUBJECTS)


def subject_kind(name: str) -> SubjectKind | None:
    return _SUBJECTS.get(name)


class Subject:
    """One person whose data is asked for: their record, and the addresses their copies are found by."""

    def __init__(self, kind: SubjectKind, record: models.Model) -> None:
        self.kind, self.record = kind, record
        email = (getattr(record, kind.email_field, "") or "").strip().lower()
        self.emails: frozenset[str] = frozenset({email} if email else ())
        self._rows: dict[int, list[Any]] = {}

    @property
    def pk(self) -> Any:
        return self.record.pk

    def email_q(self, field: str) -> models.Q | None:
        """`field` equal to one of the person's addresses, whatever the case; None when they have none."""
        if not self.emails:
            return None
        return reduce(or_, (models.Q(**{f"{field}__iexact": email}) for email in sorted(self.emails)))

    def pks(self, label: str) -> list[Any]:
        """The ids of the person's rows of one model, over every holding of it (read once, then kept)."""
        found: list[Any] = []
        for index, holding in enumerate(_HOLDINGS):
            if holding.label == label:
                if index not in self._rows:
                    self._rows[index] = list(holding.rows(self).values_list("pk", flat=True))
                found += [pk for pk in self._rows[index] if pk not in found]
        return found

    def found(self) -> list[tuple[Holding, list[Any]]]:
        """Every holding with the ids of the person's rows in it, read before anything is erased."""
        for label in dict.fromkeys(holding.label for holding in _HOLDINGS):
            self.pks(label)
        return [(holding, self._rows[index]) for index, holding in enumerate(_HOLDINGS)]


def autodiscover() -> None:
    """Import every app's `personal_data` module (from `CoreConfig.ready`)."""
    autodiscover_modules("personal_data")


# The history is a copy of every recorded row above: its rows of the person's rows are theirs too.


def _history_rows(subject: Subject) -> models.QuerySet:
    from django.contrib.contenttypes.models import ContentType

    from core.history.recording import is_recorded
    from core.models import ObjectChange

    conditions = []
    for label in dict.fromkeys(holding.label for holding in _HOLDINGS if not holding.is_log):
        model, pks = apps.get_model(label), subject.pks(label)
        if pks and is_recorded(model):
            content_type = ContentType.objects.get_for_model(model)
            conditions.append(models.Q(content_type=content_type, object_pk__in=[str(pk) for pk in pks]))
    if not conditions:
        return ObjectChange.objects.none()
    return ObjectChange.objects.filter(reduce(or_, conditions))


register(
    "core.ObjectChange",
    fields=("object_repr", "changes", "changes_text", "serialized_data", "remote_addr"),
    rows=_history_rows,
    description=_("The history of changes of those records"),
    erase=SCRUB,
    is_log=True,
)


def _admin_log_rows(subject: Subject) -> models.QuerySet:
    """The admin's own log ("Recent actions"): its entries of the person's rows, and those of another
    row whose message names the person's record (a contact changed in its stakeholder's inline)."""
    import json

    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    conditions = []
    for label in dict.fromkeys(holding.label for holding in _HOLDINGS if not holding.is_log):
        model, pks = apps.get_model(label), subject.pks(label)
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            conditions.append(models.Q(content_type=content_type, object_id__in=[str(pk) for pk in pks]))
    name = str(subject.record)
    conditions += [models.Q(change_message__contains=json.dumps(name)), models.Q(change_message__contains=name)]
    return LogEntry.objects.filter(reduce(or_, conditions))


register(
    "admin.LogEntry",
    fields=("object_repr", "change_message"),
    rows=_admin_log_rows,
    description=_("The admin site's log of those records"),
    is_log=True,
)
