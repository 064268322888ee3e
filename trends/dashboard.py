"""A country team's figures over time: one query per figure, whatever the amount of data.

Each query counts every row of the country in its period, so its cost grows with the data; the
figures a panel shows are kept in the cache under the versions of the tables they count (and of
those that say which country a counted row is in), which every write drops (`core.short_tables`),
so a reader pays for the count once per change, not once per request.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalitions.models import Assessment, Coalition, Commitment, Engagement, Initiative, Outcome
from core.access import is_staff_member
from core.short_tables import kept as kept_figures
from core.short_tables import query_text, table_version
from core.svg import Series, palette_class, stance_class, time_chart
from core.versions import rendering_key
from results.models import Indicator, TrackStatus
from stakeholders.models import Stakeholder

from .charts import axis_labels, axis_top
from .health import health_rows
from .services import month_start

MONTHS = 12
QUARTERS = 8


def kept(*, user, rows: QuerySet, tables: tuple, today: datetime.date, figures: Callable[[], dict]) -> dict:
    """A panel's `figures()` of `rows`, from the cache while none of `tables` has changed.

    The key holds the panel, the tables' versions, the rows' query (the country, the period and the
    reader's scope as `visible_to` writes it) and today (what is overdue). Kept only for a staff
    reader, whose scope is every row: a partner's scope is read from the memberships, which are not
    among `tables`, so any other scope is counted each time (the dashboard is a staff page anyway).
    """
    if not is_staff_member(user) or rows.query.is_empty():
        return figures()
    key = "dashboard-figures:" + rendering_key(figures.__qualname__, table_version(*tables), query_text(rows), today)
    return kept_figures(key, figures)


def months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months up to today's, oldest first."""
    months = [month_start(today)]
    while len(months) < count:
        months.insert(0, month_start(months[0] - datetime.timedelta(days=1)))
    return months


def quarters_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = [first]
    while len(quarters) < count:
        previous = quarters[0]
        year, month = (previous.year, previous.month - 3) if previous.month > 3 else (previous.year - 1, 10)
        quarters.insert(0, datetime.date(year, month, 1))
    return quarters


def _day(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _chart(series: list[Series], title: str):
    top = axis_top(max((value for line in series for _day, value in line.points), default=0))
    return time_chart(series, y_min=0, y_max=top, y_labels=axis_labels(top, 0), title=title)


@dataclass
class Fulfilment:
    made: int
    done: int
    overdue: int
    dropped: int

    @property
    def rate(self) -> int | None:
        """Done, as a share of the commitments not dropped (percent)."""
        kept = self.made - self.dropped
        return round(100 * self.done / kept) if kept else None


#: The tables each panel counts, and those that say which country a counted row is in (a coalition's
#: initiative, an initiative's country): a write to any of them drops the panel's kept figures. The
#: stakeholders, for the engagements: deleting one deletes its participations, with no write to the
#: engagements' table.
ACTIVITY_TABLES = (Engagement, Coalition, Initiative, Stakeholder)
FULFILMENT_TABLES = (Commitment, Coalition, Initiative)
OUTCOME_TABLES = (Outcome, Coalition, Initiative)
STANCE_TABLES = (Assessment, Initiative)


def activity(*, country, user, today: datetime.date) -> dict:
    """Engagements and their participations per month of the last twelve (one query: the
    participations joined to their engagements, the engagements counted once each)."""
    months = months_back(today, MONTHS)
    engagements = (
        Engagement.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(occurred_on__gte=months[0], occurred_on__lte=today)
    )

    def figures() -> dict:
        rows = (
            engagements.annotate(month=TruncMonth("occurred_on"))
            .order_by()
            .values_list("month")
            .annotate(n=Count("pk", distinct=True), participants=Count("participants"))
        )
        per_month, participants = {}, {}
        for month, counted, participations in rows:
            per_month[_day(month)] = counted
            participants[_day(month)] = participations
        lines = [
            Series(_("Engagements"), palette_class(0), [(month, per_month.get(month, 0)) for month in months]),
            Series(_("Participants"), palette_class(2), [(month, participants.get(month, 0)) for month in months]),
        ]
        return {
            "activity_chart": _chart(lines, _("Engagements and participants per month")),
            "activity_legend": [(line.colour_class, line.label) for line in lines],
            "activity_rows": [(month, per_month.get(month, 0), participants.get(month, 0)) for month in months],
        }

    return kept(user=user, rows=engagements, tables=ACTIVITY_TABLES, today=today, figures=figures)


def fulfilment(*, country, user, today: datetime.date) -> dict:
    commitments = Commitment.objects.visible_to(user).in_countries([country.pk])

    def figures() -> dict:
        counts = commitments.aggregate(
            made=Count("pk"),
            done=Count("pk", filter=Q(status=Commitment.Status.DONE)),
            dropped=Count("pk", filter=Q(status=Commitment.Status.DROPPED)),
            overdue=Count(
                "pk",
                filter=Q(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS], due_on__lt=today),
            ),
        )
        return {"fulfilment": Fulfilment(**counts)}

    return kept(user=user, rows=commitments, tables=FULFILMENT_TABLES, today=today, figures=figures)


def outcomes(*, country, user, today: datetime.date) -> dict:
    quarters = quarters_back(today, QUARTERS)
    observed = (
        Outcome.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(observed_on__gte=quarters[0], observed_on__lte=today)
    )

    def figures() -> dict:
        counts = dict(
            observed.annotate(quarter=TruncQuarter("observed_on")).values_list("quarter").annotate(n=Count("pk"))
        )
        counts = {_day(key): value for key, value in counts.items()}
        lines = [Series(_("Outcomes"), palette_class(4), [(q, counts.get(q, 0)) for q in quarters])]
        return {
            "outcome_chart": _chart(lines, _("Outcomes harvested per quarter")),
            "outcome_rows": [(date_format(q, "YEAR_MONTH_FORMAT"), counts.get(q, 0)) for q in quarters],
        }

    return kept(user=user, rows=observed, tables=OUTCOME_TABLES, today=today, figures=figures)


def stances(*, country, user, today: datetime.date) -> dict:
    quarters = quarters_back(today, QUARTERS)
    assessed = (
        Assessment.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(assessed_on__gte=quarters[0], assessed_on__lte=today)
    )

    def figures() -> dict:
        counts = Counter()
        for quarter, stance, count in (
            assessed.annotate(quarter=TruncQuarter("assessed_on"))
            .values_list("quarter", "stance")
            .annotate(n=Count("pk"))
        ):
            counts[(_day(quarter), stance)] += count
        lines = [
            Series(str(label), stance_class(value), [(q, counts[(q, value)]) for q in quarters])
            for value, label in Assessment.Stance.choices
        ]
        return {
            "stance_chart": _chart(lines, _("Assessments by stance per quarter")),
            "stance_legend": [(line.colour_class, line.label) for line in lines],
        }

    return kept(user=user, rows=assessed, tables=STANCE_TABLES, today=today, figures=figures)


def indicators(*, country, user, today: datetime.date) -> dict:
    tracks = Counter(
        indicator.progress(today).status
        for indicator in Indicator.objects.visible_to(user).in_countries([country.pk]).with_values()
    )
    return {"tracks": [(str(label), tracks.get(value, 0)) for value, label in TrackStatus.choices]}


def attention(*, country, user, today: datetime.date) -> dict:
    """The coalitions whose latest health snapshot flags them (the snapshots hold the figures)."""
    return {"attention": [row for row in health_rows(user=user, countries=[country]) if row.flags]}


#: The dashboard's panels, in the page's order, each loaded from its own request after the first
#: paint (htmx): the page itself runs none of their queries.
PANELS = {
    "activity": activity,
    "fulfilment": fulfilment,
    "outcomes": outcomes,
    "stances": stances,
    "indicators": indicators,
    "attention": attention,
}
