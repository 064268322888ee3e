"""Recording destructive actions, and a person's data exported or erased through the registry (core/personal_data)."""

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from .access import may_write_row
from .history.context import current
from .history.recording import is_recorded, scrub_history
from .models import ActionRecord
from .personal_data import DELETE, Subject, subject_kind, subject_kinds
from .signals import api_write


def action_record(
    *,
    action: str,
    user,
    obj: models.Model | None = None,
    model: str = "",
    pk: Any = None,
    summary: dict[str, int] | None = None,
) -> ActionRecord:
    """Write down who did what to which row: the row by model and id only, never its contents."""
    if obj is not None:
        model, pk = obj._meta.label, obj.pk
    actor = user if getattr(user, "is_authenticated", False) else None
    return ActionRecord.objects.create(
        action=action,
        actor=actor,
        channel=current().attribution()["channel"],
        model=model,
        object_pk=str(pk),
        summary=summary or {},
    )


def subject_for(*, kind: str, pk: Any, user) -> Subject | None:
    """The person behind a record the user may change (`editable_by`); None for any other, as for a missing one."""
    subject = subject_kind(kind)
    if subject is None:
        return None
    record = subject.model._default_manager.editable_by(user).filter(pk=pk).first()
    return Subject(subject, record) if record is not None else None


def subject_of(record: models.Model) -> Subject | None:
    """The `Subject` of a record whose model is a kind of person, else None."""
    for kind in subject_kinds().values():
        if kind.model is type(record):
            return Subject(kind, record)
    return None


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return [str(related) for related in getattr(obj, name).all()]
    value = getattr(obj, field.attname)
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data_export(*, subject: Subject, user) -> dict[str, Any]:
    """Everything the registry lists about the person, by kind of record, for a data-access request (logged)."""
    data: dict[str, Any] = {}
    for holding, pks in subject.found():
        if not pks:
            continue
        rows = holding.model._default_manager.filter(pk__in=pks).order_by("pk")
        entry = data.setdefault(holding.label, {"description": str(holding.description), "rows": []})
        entry["rows"] += [{"id": obj.pk, **{name: _value(obj, name) for name in holding.fields}} for obj in rows]
    action_record(
        action=ActionRecord.Action.EXPORT,
        user=user,
        model=subject.kind.label,
        pk=subject.pk,
        summary={label: len(entry["rows"]) for label, entry in data.items()},
    )
    return {
        "subject": {"kind": subject.kind.name, "id": subject.pk},
        "exported_at": timezone.now().isoformat(),
        "data": data,
    }


@transaction.atomic
def personal_data_erase(*, subject: Subject, user) -> dict[str, int]:
    """Delete every row the registry finds for the person, then scrub the history of each (logged).

    The rows are all found first (a copy is found through another row: a notification through
    its contact request), the person's own record is deleted last, and the history goes after
    the deletions, which write history rows of their own. Returns what was done, by model.
    """
    found = subject.found()
    summary: Counter[str] = Counter()
    for holding, pks in sorted(found, key=lambda item: item[0].is_record):
        if holding.erase != DELETE:
            continue
        if holding.on_erase is not None:
            holding.on_erase(subject)
        if pks:
            holding.model._default_manager.filter(pk__in=pks).delete()
            summary[holding.label] += len(pks)
    scrubbed = 0
    for holding, pks in found:
        if holding.erase == DELETE and is_recorded(holding.model):
            scrubbed += sum(scrub_history(model=holding.model, pk=pk, fields=holding.fields) for pk in pks)
    summary["core.ObjectChange"] = scrubbed
    action_record(
        action=ActionRecord.Action.ERASE, user=user, model=subject.kind.label, pk=subject.pk, summary=dict(summary)
    )
    return dict(summary)


@transaction.atomic
def row_delete(*, obj: models.Model, user) -> None:
    """Delete a row and record who did it. A person's record is erased instead, and so is every
    person's record the deletion would cascade to (a stakeholder's contact persons), so no
    deletion leaves a person's data in the history."""
    subject = subject_of(obj)
    if subject is not None:
        personal_data_erase(subject=subject, user=user)
        return
    collector = Collector(using=obj._state.db or "default")
    collector.collect([obj])
    for instances in list(collector.data.values()):
        for instance in instances:
            cascaded = subject_of(instance)
            if cascaded is not None:
                personal_data_erase(subject=cascaded, user=user)
    action_record(action=ActionRecord.Action.DELETE, user=user, obj=obj)
    obj.delete()


def row_write(*, user, resource: str, action: str, save: Callable[[], models.Model]) -> models.Model:
    """A create or change through the API or the partner portal, in one transaction: `save()` writes the
    row (through the model's rules or a service), then the row must still be the user's to write
    (`core.access.may_write_row`: a partner's engagement in one of its coalitions, a staff member's
    row in their countries), else `PermissionDenied` and nothing stays; then the write is announced
    (`core.signals.api_write`: a partner's write tells the coalition's country team)."""
    with transaction.atomic():
        obj = save()
        if not may_write_row(user, resource, action, obj):
            raise PermissionDenied
        api_write.send(sender=type(obj), user=user, action=action, obj=obj)
    return obj
