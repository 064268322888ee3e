"""Writes that span models: selecting an entry point turns it into an initiative (pages, API and admin alike)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal

from core.validation import full_clean

from .models import EntryPoint

#: Sent inside the selection's transaction with `entry_point` and `user`. The coalitions app (above
#: this one, which therefore never names its models) answers with the initiative that carries the
#: entry point, created the first time.
entry_point_selected = Signal()


@transaction.atomic
def entry_point_select(*, entry_point_id: int, user: AbstractBaseUser | None, reason: str = "") -> Model | None:
    """Mark the entry point selected and return the initiative that carries it; idempotent."""
    entry_point = EntryPoint.objects.select_for_update().get(pk=entry_point_id)
    answers = entry_point_selected.send(sender=EntryPoint, entry_point=entry_point, user=user)
    initiative = next((answer for _receiver, answer in answers if answer is not None), None)
    if entry_point.status == EntryPoint.Status.SELECTED:
        return initiative
    entry_point.status = EntryPoint.Status.SELECTED
    if reason:
        entry_point.status_reason = reason
    if entry_point.analysed_by_id is None and user is not None and user.is_authenticated:
        entry_point.analysed_by = user
    full_clean(entry_point)
    entry_point.save(update_fields=["status", "status_reason", "analysed_by", "updated_at"])
    return initiative
