"""The roll-up: what a set of coalitions did in a period, each side by side and in total.

The one place that counts a national coalition with its linked local coalitions, an initiative's
coalitions and a country's coalitions, for the pages and the API alike. Every figure comes from a
few queries over all the coalitions at once, so the number of queries does not depend on how
many coalitions there are (two, plus the query that finds the coalitions; eight for a country's
thousands, counted table by table: `GROUPED_FROM`).

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
import hashlib
from dataclasses import dataclass, field, fields

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.expressions import count_of
from core.short_tables import kept, query_text, table_version
from core.versions import code_version
from stakeholders.models import Stakeholder

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
    #: The figures' key in the cache: the pages keep their rendered table under it (it changes with them).
    #: Not part of what the roll-up is: the same figures read through another entry are the same roll-up.
    key: str = field(default="", compare=False)


#: Figures that count actors: the total counts each actor once, not once per coalition.
DISTINCT_ACTORS = ("members_active", "sectors", "participants")


def rollup(coalitions: list[Coalition], period: Period, *, total_of: QuerySet | list[int] | None = None) -> Rollup:
    """The figures of each of these coalitions in the period, and in total (constant queries).

    With `total_of` (every coalition the total counts, of which `coalitions` are a page: their ids,
    or a queryset of them), the columns are those of `coalitions` and the total is that of `total_of`.
    The figures come from the cache while none of the tables they count has changed
    (`core.short_tables.table_version`).
    """
    ids = [coalition.pk for coalition in coalitions]
    key, (per, totals) = _cached_figures(ids, period)
    if total_of is not None:
        total_key, totals = _cached_total(total_of, period)
        key = f"{key}:{total_key}" if key else total_key
    columns = [Column(coalition=c, figures=Figures(**per[c.pk])) for c in coalitions]
    return Rollup(period=period, columns=columns, total=_figures_only(totals), key=key)


#: The tables the figures count: a write to any of them (the actors' sectors, the coalitions' links,
#: an engagement's participants and a note's shares included) drops every kept roll-up.
COUNTED_MODELS = (Membership, Engagement, Commitment, Outcome, LearningNote, Coalition, Stakeholder)


def _figures_key(kind: str, what, period: Period) -> str:
    digest = hashlib.sha256(repr((table_version(*COUNTED_MODELS), what)).encode()).hexdigest()[:32]
    return f"rollup-{kind}:{code_version()}:{period.start}:{period.end}:{timezone.localdate()}:{digest}"


def _cached_figures(ids: list[int], period: Period) -> tuple[str, tuple[dict, dict]]:
    """The figures' key and the figures (each coalition's and their total), from the cache when kept."""
    if not ids:
        return "", ({}, dict.fromkeys(Figures.names(), 0))
    key = _figures_key("figures", ids, period)  # it names today too, for what is overdue
    return key, kept(key, lambda: _figures(ids, ids, period))


def _cached_total(every: QuerySet | list[int], period: Period) -> tuple[str, dict]:
    """The total of a set of coalitions (with how many they are, `coalitions`), from the cache when kept.

    A queryset is known by its SQL, not by its rows: a country's thousands of coalitions are neither
    listed nor sorted to find their kept total, and a change to any coalition changes the key.
    """
    what = query_text(every.order_by().values("pk")) if isinstance(every, QuerySet) else sorted(every)
    if not what:
        return "", {**dict.fromkeys(Figures.names(), 0), "coalitions": 0}
    key = _figures_key("total", what, period)
    return key, kept(key, lambda: _totals(every, period))


def _figures_only(totals: dict) -> Figures:
    return Figures(**{name: totals[name] for name in Figures.names()})


def _figures(ids: list[int], every: QuerySet | list[int], period: Period) -> tuple[dict, dict]:
    """Each coalition's figures (of `ids`) and the total (of `every`), from the database."""
    per: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    totals: dict[str, int] = {}
    if ids:
        _count_into(per, totals, ids, period)
    if not isinstance(every, QuerySet) and set(every) == set(ids):
        summed = {name: sum(per[pk].get(name, 0) for pk in ids) for name in Figures.names()}
        return per, {**summed, **totals}
    totals = _totals(every, period)
    return per, {name: totals[name] for name in Figures.names()}


#: From this many coalitions on, the figures are counted table by table (`_count_grouped_into`).
#: Fewer (a page, a national coalition's local ones) are counted coalition by coalition, which reads
#: only their own rows; for a country's thousands, PostgreSQL plans one correlated count per
#: coalition and figure as so costly that it compiles the query (JIT) before running it, and each
#: coalition's subqueries run one after the other, where grouping reads each table's rows of the
#: period once.
GROUPED_FROM = 200


def _count_into(per: dict, totals: dict, ids: list[int], period: Period) -> None:
    """Every figure of every coalition, and the totals that count actors once."""
    if len(ids) >= GROUPED_FROM:
        _count_grouped_into(per, totals, ids, period)
    else:
        _count_correlated_into(per, totals, ids, period)


def _count_correlated_into(per: dict, totals: dict, ids: list[int], period: Period) -> None:
    """Every figure of every coalition, and the totals that count actors once, in two queries.

    One row per coalition, each figure a correlated COUNT over that coalition's rows (each read off
    the coalition's own index, so the cost follows the coalitions asked for, not the tables); the
    totals of members and participants are uncorrelated subqueries, evaluated once and repeated on
    every row; the sectors come from the second query.
    """
    rows_of = _rows(period)
    members, participations = rows_of["members"], rows_of["participations"]
    figures = _counts(rows_of, {"coalition": OuterRef("pk")})
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


def _count_grouped_into(per: dict, totals: dict, ids: list[int], period: Period) -> None:
    """The figures of `_count_correlated_into`, each table's rows of the period grouped by coalition
    (eight queries, however many coalitions there are).

    An actor has one sector, so a coalition's active members are the sum of its sectors' distinct
    members, and its sectors are those it has members of: one grouping gives both. The totals that
    count actors once are counted over all the coalitions' rows, in one more query.
    """
    rows_of = _rows(period)
    members, participations, shares = rows_of["members"], rows_of["participations"], rows_of["shares"]
    members = members.filter(coalition_id__in=ids).order_by()
    participations = participations.filter(engagement__coalition_id__in=ids).order_by()
    sectors: dict[int, set] = {}
    for coalition_id, sector, n in (
        members.values("coalition_id", "stakeholder__sector")
        .annotate(n=Count("stakeholder_id", distinct=True))
        .values_list("coalition_id", "stakeholder__sector", "n")
    ):
        figures = per[coalition_id]
        figures["members_active"] = figures.get("members_active", 0) + n
        sectors.setdefault(coalition_id, set()).add(sector)
    for coalition_id, found in sectors.items():
        per[coalition_id]["sectors"] = len(found)
    totals["sectors"] = len(set().union(*sectors.values()))
    grouped = [
        (rows_of["engagements"].filter(coalition_id__in=ids), "coalition_id", {"engagements": Count("pk")}),
        (participations, "engagement__coalition_id", {"participants": Count("stakeholder_id", distinct=True)}),
        (
            rows_of["commitments"].filter(coalition_id__in=ids),
            "coalition_id",
            {name: Count("pk", filter=condition) for name, condition in _commitment_conditions(period).items()},
        ),
        (rows_of["outcomes"].filter(coalition_id__in=ids), "coalition_id", {"outcomes": Count("pk")}),
        (
            shares.filter(learningnote__coalition_id__in=ids, coalition_id=F("learningnote__coalition__parent_id")),
            "learningnote__coalition_id",
            {"notes_shared_up": Count("learningnote_id", distinct=True)},
        ),
        (
            shares.filter(coalition_id__in=ids, learningnote__coalition_id=F("coalition__parent_id")),
            "coalition_id",
            {"notes_shared_down": Count("learningnote_id", distinct=True)},
        ),
    ]
    for rows, coalition, counts in grouped:
        for row in rows.order_by().values(coalition).annotate(**counts):
            per[row[coalition]].update({name: row[name] for name in counts})
    row = (
        Coalition.objects.order_by("pk")
        .values("pk")
        .annotate(
            members_active=count_of(members, "stakeholder_id", distinct=True),
            participants=count_of(participations, "stakeholder_id", distinct=True),
        )
        .first()
    )
    totals.update({name: row[name] for name in ("members_active", "participants")})


def _commitment_conditions(period: Period) -> dict[str, Q]:
    """Which of a coalition's commitments each commitment figure counts."""
    start, end = period.start, period.end
    due = Q(due_on__gte=start, due_on__lte=end) & ~Q(status=Commitment.Status.DROPPED)
    unfinished = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    return {
        "commitments_made": Q(created_at__date__gte=start, created_at__date__lte=end),
        "commitments_due": due,
        "commitments_done": due & Q(status=Commitment.Status.DONE),
        "commitments_overdue": due & Q(status__in=unfinished, due_on__lt=timezone.localdate()),
    }


def _rows(period: Period) -> dict:
    """The rows each figure counts in the period, of every coalition."""
    start, end = period.start, period.end
    return {
        "members": Membership.objects.filter(joined_on__lte=end).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=start)
        ),
        "engagements": Engagement.objects.filter(occurred_on__gte=start, occurred_on__lte=end),
        "participations": Engagement.participants.through.objects.filter(
            engagement__occurred_on__gte=start, engagement__occurred_on__lte=end
        ),
        "commitments": Commitment.objects.all(),
        "outcomes": Outcome.objects.filter(observed_on__gte=start, observed_on__lte=end),
        "shares": LearningNote.shared_with.through.objects.filter(
            learningnote__created_at__date__gte=start, learningnote__created_at__date__lte=end
        ),
        "period": period,
    }


def _counts(rows_of: dict, coalition: dict) -> dict:
    """Every figure but the sectors as a COUNT, of the coalitions `coalition` names: `{"coalition":
    OuterRef("pk")}` for one coalition a row, `{"coalition__in": ids}` for the total of those coalitions."""
    [(lookup, value)] = coalition.items()
    of = lookup.removeprefix("coalition")  # "" or "__in"
    commitments = rows_of["commitments"].filter(**{f"coalition{of}": value})
    shares = rows_of["shares"]
    return {
        # Over several coalitions, the actors in several of them count once (as the total wants).
        "members_active": count_of(
            rows_of["members"].filter(**{f"coalition{of}": value}), "stakeholder_id", distinct=True
        ),
        "engagements": count_of(rows_of["engagements"].filter(**{f"coalition{of}": value})),
        "participants": count_of(
            rows_of["participations"].filter(**{f"engagement__coalition{of}": value}), "stakeholder_id", distinct=True
        ),
        **{
            name: count_of(commitments.filter(condition))
            for name, condition in _commitment_conditions(rows_of["period"]).items()
        },
        "outcomes": count_of(rows_of["outcomes"].filter(**{f"coalition{of}": value})),
        # A note has one coalition and a share is one (note, coalition) pair, so these add up over
        # coalitions: the notes written by them, and the pairs of a note and the coalition it went down to.
        "notes_shared_up": count_of(
            shares.filter(
                **{f"learningnote__coalition{of}": value}, coalition_id=F("learningnote__coalition__parent_id")
            ),
            "learningnote_id",
            distinct=True,
        ),
        "notes_shared_down": count_of(
            shares.filter(**{f"coalition{of}": value}, learningnote__coalition_id=F("coalition__parent_id")),
            "learningnote_id" if not of else "pk",
            distinct=not of,
        ),
    }


def _totals(every: QuerySet | list[int], period: Period) -> dict[str, int]:
    """The total of these coalitions in one query, without counting each of them: the figures that
    count actors count each once, the others are what the columns of all of them would sum to; and
    how many coalitions they are (`coalitions`)."""
    ids = every.order_by().values("pk") if isinstance(every, QuerySet) else list(every)
    rows_of = _rows(period)
    counts = _counts(rows_of, {"coalition__in": ids})
    # A sector is never empty, so COUNT(DISTINCT) counts what the set of the columns' sectors holds.
    members = rows_of["members"].filter(coalition_id__in=ids)
    counts["sectors"] = count_of(members, "stakeholder__sector", distinct=True)
    counts["coalitions"] = count_of(Coalition.objects.filter(pk__in=ids))
    # One row of the table to hang the uncorrelated counts on: each evaluated once.
    row = Coalition.objects.order_by("pk").values("pk").annotate(**counts).first()
    return {name: row[name] if row else 0 for name in counts}


def coalition_rollup_coalitions(coalition: Coalition, user) -> list[Coalition]:
    """A coalition's roll-up: the coalition itself, then the local coalitions linked to it now, by name."""
    children = list(Coalition.objects.visible_to(user).filter(parent=coalition).order_by("name", "pk"))
    return [coalition, *children]


#: Coalitions side by side on a page of an initiative's or a country's roll-up (the total counts them all).
ROLLUP_PAGE_SIZE = 25


def rollup_page(coalitions: QuerySet, period: Period, number) -> tuple[Rollup, Page]:
    """A page of these coalitions (by name) side by side, with the total of all of them, and the page.

    The total and the number of coalitions it counts are kept as one figure (`_cached_total`), so a
    page reads its own coalitions alone, off `coalition_name_idx`, however many the country has.
    """
    coalitions = coalitions.order_by("name", "pk")
    _key, total = _cached_total(coalitions, period)
    paginator = Paginator(coalitions, ROLLUP_PAGE_SIZE)
    paginator.count = total["coalitions"]  # a cached_property: the figure the total already has
    page = paginator.get_page(number)
    shown = list(page.object_list)
    return rollup(shown, period, total_of=coalitions), page


def coalitions_of(user, **where) -> list[Coalition]:
    """The visible coalitions of an initiative (`initiative=`) or a country (`initiative__country=`), by name."""
    return list(Coalition.objects.visible_to(user).filter(**where).select_related("initiative").order_by("name", "pk"))
