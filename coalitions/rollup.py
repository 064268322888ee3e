"""The roll-up: what a set of coalitions did in a period, each side by side and in total.

The one place that counts a national coalition with its linked local coalitions, an initiative's
coalitions and a country's coalitions, for the pages and the API alike. Every figure comes from a
single query over all the coalitions at once, so the number of queries does not depend on how
many coalitions there are (two, plus the query that finds the coalitions).

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

from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.expressions import count_of

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


def _count_into(per: dict, totals: dict, ids: list[int], period: Period) -> None:
    """Every figure of every coalition, and the totals that count actors once, in two queries.

    One row per coalition, each figure a correlated COUNT over that coalition's rows (each read off
    the coalition's own index, so the cost follows the coalitions asked for, not the tables); the
    totals of members and participants are uncorrelated subqueries, evaluated once and repeated on
    every row; the sectors come from the second query.
    """
    start, end = period.start, period.end
    today = timezone.localdate()
    here = OuterRef("pk")

    members = Membership.objects.filter(joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    engagements = Engagement.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
    participations = Engagement.participants.through.objects.filter(
        engagement__occurred_on__gte=start, engagement__occurred_on__lte=end
    )
    commitments = Commitment.objects.filter(coalition=here)
    due = commitments.filter(due_on__gte=start, due_on__lte=end).exclude(status=Commitment.Status.DROPPED)
    unfinished = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    shares = LearningNote.shared_with.through.objects.filter(
        learningnote__created_at__date__gte=start, learningnote__created_at__date__lte=end
    )
    figures = {
        "members_active": count_of(members.filter(coalition=here), "stakeholder_id", distinct=True),
        "engagements": count_of(engagements.filter(coalition=here)),
        "participants": count_of(participations.filter(engagement__coalition=here), "stakeholder_id", distinct=True),
        "commitments_made": count_of(commitments.filter(created_at__date__gte=start, created_at__date__lte=end)),
        "commitments_due": count_of(due),
        "commitments_done": count_of(due.filter(status=Commitment.Status.DONE)),
        "commitments_overdue": count_of(due.filter(status__in=unfinished, due_on__lt=today)),
        "outcomes": count_of(Outcome.objects.filter(coalition=here, observed_on__gte=start, observed_on__lte=end)),
        "notes_shared_up": count_of(
            shares.filter(learningnote__coalition=here, coalition_id=F("learningnote__coalition__parent_id")),
            "learningnote_id",
            distinct=True,
        ),
        "notes_shared_down": count_of(
            shares.filter(coalition=here, learningnote__coalition_id=F("coalition__parent_id")),
            "learningnote_id",
            distinct=True,
        ),
    }
    total_members = members.filter(coalition_id__in=ids)
    distinct_totals = {
        "total_members_active": count_of(total_members, "stakeholder_id", distinct=True),
        "total_participants": count_of(
            participations.filter(engagement__coalition_id__in=ids), "stakeholder_id", distinct=True
        ),
    }
    rows = Coalition.objects.filter(pk__in=ids).order_by().values("pk").annotate(**figures, **distinct_totals)
    for row in rows:
        per[row.pop("pk")].update({name: row[name] for name in figures})
        totals.update({name: row[f"total_{name}"] for name in ("members_active", "participants")})
    # The sectors, apart: at most a dozen (coalition, sector) pairs a coalition, counted here for each
    # coalition and in total. As a COUNT(DISTINCT) per coalition, PostgreSQL fetched each member's
    # stakeholder row one at a time (190 ms for a country's 680 coalitions); grouped, it joins once.
    sectors: dict[int, set] = {}
    for coalition_id, sector in total_members.order_by().values_list("coalition_id", "stakeholder__sector").distinct():
        sectors.setdefault(coalition_id, set()).add(sector)
    for coalition_id, found in sectors.items():
        per[coalition_id]["sectors"] = len(found)
    totals["sectors"] = len(set().union(*sectors.values()))


def coalition_rollup_coalitions(coalition: Coalition, user) -> list[Coalition]:
    """A coalition's roll-up: the coalition itself, then the local coalitions linked to it now, by name."""
    children = list(Coalition.objects.visible_to(user).filter(parent=coalition).order_by("name", "pk"))
    return [coalition, *children]


def coalitions_of(user, **where) -> list[Coalition]:
    """The visible coalitions of an initiative (`initiative=`) or a country (`initiative__country=`), by name."""
    return list(Coalition.objects.visible_to(user).filter(**where).select_related("initiative").order_by("name", "pk"))
