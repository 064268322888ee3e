"""Writes that span several rows: each runs in one transaction, so a failure leaves nothing half-written."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validation import full_clean, save_valid
from planning.models import EntryPoint
from stakeholders.models import Stakeholder

from .models import Coalition, Engagement, Initiative, Membership


@transaction.atomic
def coalition_create(
    *,
    fields: dict[str, Any],
    regions: Iterable = (),
    objectives: Iterable = (),
    members: Iterable[Stakeholder] = (),
    member_role: str = Membership.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> Coalition:
    """A new coalition together with its first members, all joining on the same day (today by default).

    The staff page and the API both create coalitions here; every row is validated like any other write.
    """
    coalition = save_valid(Coalition(**fields), m2m={"regions": regions, "objectives": objectives})
    joined_on = joined_on or timezone.localdate()
    memberships = [
        Membership(coalition=coalition, stakeholder=stakeholder, role=member_role, joined_on=joined_on)
        for stakeholder in dict.fromkeys(members)
    ]
    for membership in memberships:
        full_clean(membership)
    Membership.objects.bulk_create(memberships)
    return coalition


@transaction.atomic
def engagement_log(
    *,
    fields: dict[str, Any],
    participants: Iterable[Stakeholder] | None = None,
    recorded_by: User | None = None,
    engagement: Engagement | None = None,
) -> Engagement:
    """Create (or update) an engagement and set its participants in one go (`None`: leave them as they are).

    The staff page and the API both log engagements here.
    """
    if engagement is None:
        engagement = Engagement(recorded_by=recorded_by)
    for name, value in fields.items():
        setattr(engagement, name, value)
    return save_valid(engagement, m2m={} if participants is None else {"participants": participants})


def initiative_create_for_entry_point(*, entry_point: EntryPoint) -> Initiative:
    """The initiative that carries a selected entry point: created once, from its title, challenge
    and regions, and found again on a second selection."""
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
    return initiative
