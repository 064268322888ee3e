"""Writes that span models: selecting an entry point turns it into an initiative (pages, API and admin alike)."""

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.validation import full_clean, save_valid

from .models import EntryPoint


@transaction.atomic
def entry_point_select(*, entry_point_id: int, user, reason: str = "") -> Model:
    """Mark the entry point selected and create its Initiative, keeping the link; idempotent.

    `coalitions` sits above this app, so the Initiative model is looked up by name rather
    than imported (the dependency stays one-way).
    """
    Initiative = apps.get_model("coalitions", "Initiative")
    entry_point = EntryPoint.objects.select_for_update().get(pk=entry_point_id)
    existing = Initiative.objects.filter(entry_point=entry_point).first()
    if existing is not None:
        return existing
    regions = list(entry_point.regions.all())
    initiative = Initiative(
        country_id=entry_point.country_id,
        level=Initiative.Level.SUBNATIONAL if regions else Initiative.Level.NATIONAL,
        name=entry_point.title[:200],
        shared_objective=entry_point.challenge,
        phase=Initiative.Phase.COALITION_BUILDING,
        starts_on=timezone.localdate(),
        entry_point=entry_point,
    )
    save_valid(initiative, m2m={"regions": regions})
    entry_point.status = EntryPoint.Status.SELECTED
    if reason:
        entry_point.status_reason = reason
    if entry_point.analysed_by_id is None and user is not None and user.is_authenticated:
        entry_point.analysed_by = user
    full_clean(entry_point)
    entry_point.save(update_fields=["status", "status_reason", "analysed_by", "updated_at"])
    return initiative
