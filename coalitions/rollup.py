"""The roll-up: what a set of coalitions did in a period, each side by side and in total.

The one place that counts a national coalition with its linked local coalitions, an initiative's
coalitions and a country's coalitions, for the pages and the API alike. Every figure comes from a
grouped aggregate over all the coalitions at once, so the number of queries does not depend on
how many coalitions there are (eight, plus the query that finds the coalitions).

What each figure counts, for a period from `start` to `end`, both days included:

- members active: actors with a membership overlapping the period (joined on or before its end,
  not left before its start); sectors: the distinct sectors of those actors;
- engagements: those that took place in the period; participants: the distinct actors who took part;
- commitments made: recorded in the period; due: due in the period and not dropped; done: of those
  due, the ones done; overdue: of those due, the ones still planned or in progress whose date has
  passed; the fulfilment rate is done ÷ due;
- outcomes harvested: observed in the period;
- learning notes shared up: written in the period by the coalition and shared with the coalition it
  is linked to; shared down: written in the period by that linked coalition and shared with it.

In the total, actors (members, their sectors, participants) are counted once however many of the
coalitions they are in; every other figure is the sum of the columns.
"""

import datetime
from dataclasses import dataclass, fields

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Coalition, Commitment, Engagement, LearningNote, Membership, Outcome

#: The default period: the last 365 days, today included.
DEFAULT_DAYS = 365


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> "Period":
        end = today or timezone.localdate()
        return cls(start=end - datetime.timedelta(days=DEFAULT_DAYS - 1), end=end)


def period_error(*, start: datetime.date | None, end: datetime.date | None) -> str | None:
    """Why these dates make no period (the page's form and the API both ask), or None."""
    if start is not None and start > (end or timezone.localdate()):
        return _("The period cannot end before it starts.")
    return None


def period_of(*, start: datetime.date | None, end: datetime.date | None) -> Period:
    """The period the dates ask for, a missing end being today and a missing start 365 days before the end."""
    end = end or timezone.localdate()
    if start is None:
        # Clamped for an end in the first year of the calendar, which no subtraction can reach behind.
        start = max(end, datetime.date.min + datetime.timedelta(days=DEFAULT_DAYS - 1)) - datetime.timedelta(
            days=DEFAULT_DAYS - 1
        )
    return Period(start=start, end=end)


@dataclass(frozen=True)
class Figures:
    """What one coalition (or a set of them) did in the period."""

    members_active: int = 0
    sectors: int = 0
    engagements: int = 0
    participants: int = 0
    commitments_made: int = 0
    commitments_due: int = 0
    commitments_done: int = 0
    commitments_overdue: int = 0
    outcomes: int = 0
    notes_shared_up: int = 0
    notes_shared_down: int = 0

    @property
    def fulfilment_rate(self) -> float | None:
        """Done ÷ due in the period; None when nothing was due."""
        return self.commitments_done / self.commitments_due if self.commitments_due else None

    @property
    def fulfilment_percent(self) -> int | None:
        rate = self.fulfilment_rate
        return None if rate is None else round(rate * 100)

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in fields(cls)]


@dataclass(frozen=True)
class Column:
    coalition: Coalition
    figures: Figures


@dataclass(frozen=True)
class Rollup:
    """The coalitions' figures side by side, and their total."""

    period: Period
    columns: list[Column]
    total: Figures


#: Figures that count actors: the total counts each actor once, not once per coalition.
DISTINCT_ACTORS = ("members_active", "sectors", "participants")


def rollup(coalitions: list[Coalition], period: Period) -> Rollup:
    """The figures of each of these coalitions in the period, and in total (constant queries)."""
    ids = [coalition.pk for coalition in coalitions]
    per: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    totals: dict[str, int] = {}
    if ids:
        _count_into(per, totals, ids, period)
    columns = [Column(coalition=c, figures=Figures(**per[c.pk])) for c in coalitions]
    summed = {name: sum(getattr(column.figures, name) for column in columns) for name in Figures.names()}
    return Rollup(period=period, columns=columns, total=Figures(**{**summed, **totals}))


def _group(per: dict, rows, key: str) -> None:
    for row in rows:
        figures = per[row.pop(key)]
        for name, value in row.items():
            figures[name] = figures.get(name, 0) + value


def _count_into(per: dict, totals: dict, ids: list[int], period: Period) -> None:
    start, end = period.start, period.end
    today = timezone.localdate()

    members = Membership.objects.filter(coalition_id__in=ids, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start)
    )
    _group(
        per,
        members.order_by()
        .values("coalition_id")
        .annotate(
            members_active=Count("stakeholder_id", distinct=True),
            sectors=Count("stakeholder__sector", distinct=True),
        ),
        "coalition_id",
    )
    totals.update(
        members.aggregate(
            members_active=Count("stakeholder_id", distinct=True),
            sectors=Count("stakeholder__sector", distinct=True),
        )
    )

    engagements = Engagement.objects.filter(coalition_id__in=ids, occurred_on__gte=start, occurred_on__lte=end)
    _group(per, engagements.order_by().values("coalition_id").annotate(engagements=Count("pk")), "coalition_id")
    participations = Engagement.participants.through.objects.filter(engagement__in=engagements.values("pk"))
    _group(
        per,
        participations.order_by()
        .values("engagement__coalition_id")
        .annotate(participants=Count("stakeholder_id", distinct=True)),
        "engagement__coalition_id",
    )
    totals.update(participations.aggregate(participants=Count("stakeholder_id", distinct=True)))

    due = Q(due_on__gte=start, due_on__lte=end) & ~Q(status=Commitment.Status.DROPPED)
    unfinished = Q(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS])
    _group(
        per,
        Commitment.objects.filter(coalition_id__in=ids)
        .order_by()
        .values("coalition_id")
        .annotate(
            commitments_made=Count("pk", filter=Q(created_at__date__gte=start, created_at__date__lte=end)),
            commitments_due=Count("pk", filter=due),
            commitments_done=Count("pk", filter=due & Q(status=Commitment.Status.DONE)),
            commitments_overdue=Count("pk", filter=due & unfinished & Q(due_on__lt=today)),
        ),
        "coalition_id",
    )

    _group(
        per,
        Outcome.objects.filter(coalition_id__in=ids, observed_on__gte=start, observed_on__lte=end)
        .order_by()
        .values("coalition_id")
        .annotate(outcomes=Count("pk")),
        "coalition_id",
    )

    shares = LearningNote.shared_with.through.objects.filter(
        learningnote__created_at__date__gte=start, learningnote__created_at__date__lte=end
    )
    _group(
        per,
        shares.filter(learningnote__coalition_id__in=ids, coalition_id=F("learningnote__coalition__parent_id"))
        .order_by()
        .values("learningnote__coalition_id")
        .annotate(notes_shared_up=Count("learningnote_id", distinct=True)),
        "learningnote__coalition_id",
    )
    _group(
        per,
        shares.filter(coalition_id__in=ids, learningnote__coalition_id=F("coalition__parent_id"))
        .order_by()
        .values("coalition_id")
        .annotate(notes_shared_down=Count("learningnote_id", distinct=True)),
        "coalition_id",
    )


def coalition_rollup_coalitions(coalition: Coalition, user) -> list[Coalition]:
    """A coalition's roll-up: the coalition itself, then the local coalitions linked to it now, by name."""
    children = list(Coalition.objects.visible_to(user).filter(parent=coalition).order_by("name", "pk"))
    return [coalition, *children]


def coalitions_of(user, **where) -> list[Coalition]:
    """The visible coalitions of an initiative (`initiative=`) or a country (`initiative__country=`), by name."""
    return list(Coalition.objects.visible_to(user).filter(**where).select_related("initiative").order_by("name", "pk"))
