"""Writes that span several rows: each runs in one transaction, so a failure leaves nothing half-written."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from stakeholders.models import Stakeholder

from .models import Coalition, Engagement, Membership


@transaction.atomic
def coalition_create(
    *,
    fields: dict[str, Any],
    regions: Iterable = (),
    members: Iterable[Stakeholder] = (),
    member_role: str = Membership.Role.MEMBER,
    joined_on: datetime.date,
) -> Coalition:
    """A new coalition together with its first members, all joining on the same day."""
    coalition = Coalition.objects.create(**fields)
    coalition.regions.set(regions)
    Membership.objects.bulk_create(
        Membership(coalition=coalition, stakeholder=stakeholder, role=member_role, joined_on=joined_on)
        for stakeholder in members
    )
    return coalition


@transaction.atomic
def engagement_log(
    *,
    fields: dict[str, Any],
    participants: Iterable[Stakeholder],
    recorded_by=None,
    engagement: Engagement | None = None,
) -> Engagement:
    """Create (or update) an engagement and set its participants in one go."""
    if engagement is None:
        engagement = Engagement(recorded_by=recorded_by)
    for name, value in fields.items():
        setattr(engagement, name, value)
    engagement.save()
    engagement.participants.set(participants)
    return engagement
