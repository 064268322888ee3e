"""Which coalitions need attention, from their two latest health snapshots and the thresholds.

The flags are worked out when a page is shown, not stored, so a threshold an admin changes
applies at once to every month already taken.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import short_tables
from core.access import is_staff_member

from .models import CoalitionHealthSnapshot, HealthThresholds

#: The figures the comparison table shows with a trend, and whether a rise is good news.
TREND_FIGURES = {
    "members_active": True,
    "sectors_represented": True,
    "engagements_last_90_days": True,
    "commitments_done": True,
    "commitments_overdue": False,
}


def thresholds() -> dict[str, int]:
    """The settings' defaults, each overridden by the admins' value where they gave one."""
    values = dict(settings.COALITION_HEALTH_THRESHOLDS)
    row = next(iter(short_tables.rows(HealthThresholds.objects.order_by("pk"))), None)
    for name in values:
        if row is not None and getattr(row, name) is not None:
            values[name] = getattr(row, name)
    return values


@dataclass(frozen=True)
class Trend:
    """One figure this month and the month before: its arrow, and the arrow's words."""

    value: int
    previous: int | None
    rise_is_good: bool = True

    @property
    def arrow(self) -> str:
        if self.previous is None or self.previous == self.value:
            return ""
        return "▲" if self.value > self.previous else "▼"

    @property
    def words(self) -> str:
        """The arrow for someone who cannot see it."""
        if self.previous is None:
            return _("no earlier month to compare")
        if self.value == self.previous:
            return _("unchanged since the month before")
        if self.value > self.previous:
            return _("up from %(previous)s the month before") % {"previous": self.previous}
        return _("down from %(previous)s the month before") % {"previous": self.previous}

    @property
    def good(self) -> bool | None:
        if not self.arrow:
            return None
        return (self.value > self.previous) == self.rise_is_good


@dataclass
class HealthRow:
    snapshot: CoalitionHealthSnapshot
    previous: CoalitionHealthSnapshot | None
    trends: dict[str, Trend] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def coalition(self):
        return self.snapshot.coalition


def flags(
    snapshot: CoalitionHealthSnapshot, previous: CoalitionHealthSnapshot | None, limits: dict[str, int]
) -> list[str]:
    """Why the coalition needs attention, in words (none: it does not)."""
    found = []
    if previous is not None and previous.members_active - snapshot.members_active >= limits["members_lost"]:
        lost = previous.members_active - snapshot.members_active
        found.append(ngettext("Lost %(count)s member", "Lost %(count)s members", lost) % {"count": lost})
    if snapshot.commitments_overdue >= limits["overdue_commitments"]:
        found.append(
            ngettext("%(count)s commitment overdue", "%(count)s commitments overdue", snapshot.commitments_overdue)
            % {"count": snapshot.commitments_overdue}
        )
    days = limits["days_without_meeting"]
    if snapshot.last_met_on is None:
        found.append(_("Has never met"))
    elif snapshot.as_of - snapshot.last_met_on >= datetime.timedelta(days=days):
        found.append(ngettext("Has not met for %(days)s day", "Has not met for %(days)s days", days) % {"days": days})
    return found


def health_rows(*, user, countries=None) -> list[HealthRow]:
    """The coalitions of `countries` (None: every country) the user sees, in their latest month and
    the month before, those that need attention first. One query whatever their number (and
    the thresholds, from the cache). The comparison is a staff view: partners read their own
    coalitions' snapshots through the API, never this table."""
    if not is_staff_member(user):
        return []
    snapshots = CoalitionHealthSnapshot.objects.visible_to(user)
    if countries is not None:
        snapshots = snapshots.filter(coalition__initiative__country__in=countries)
    # The two latest months that have snapshots, in one query; the earlier counts only if it is
    # the month before the latest.
    two_latest = snapshots.order_by("-period").values("period").distinct()[:2]
    months = list(snapshots.filter(period__in=two_latest).select_related("coalition__initiative__country"))
    if not months:
        return []
    latest = max(snapshot.period for snapshot in months)
    before = (latest - datetime.timedelta(days=1)).replace(day=1)
    current, previous = {}, {}
    for snapshot in months:
        if snapshot.period in (latest, before):
            (current if snapshot.period == latest else previous)[snapshot.coalition_id] = snapshot
    limits = thresholds()
    rows = []
    for coalition_id, snapshot in current.items():
        earlier = previous.get(coalition_id)
        trends = {
            name: Trend(getattr(snapshot, name), getattr(earlier, name) if earlier else None, rise_is_good)
            for name, rise_is_good in TREND_FIGURES.items()
        }
        rows.append(HealthRow(snapshot, earlier, trends, flags(snapshot, earlier, limits)))
    rows.sort(key=lambda row: (-len(row.flags), row.coalition.initiative.country.name, row.coalition.name))
    return rows
