"""A country team's figures over time: one query per figure, whatever the amount of data."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalitions.models import Assessment, Commitment, Engagement, Outcome
from core.svg import Series, palette_class, stance_class, time_chart
from results.models import Indicator, TrackStatus

from .charts import axis_labels, axis_top
from .health import health_rows
from .services import month_start

MONTHS = 12
QUARTERS = 8


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


def country_dashboard(*, country, user, today: datetime.date) -> dict:
    """The figures and charts of the country dashboard."""
    months = months_back(today, MONTHS)
    quarters = quarters_back(today, QUARTERS)
    engagements = (
        Engagement.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(occurred_on__gte=months[0], occurred_on__lte=today)
    )
    per_month = dict(engagements.annotate(month=TruncMonth("occurred_on")).values_list("month").annotate(n=Count("pk")))
    participants = dict(
        Engagement.participants.through.objects.filter(engagement__in=engagements.values("pk"))
        .annotate(month=TruncMonth("engagement__occurred_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    per_month = {_day(key): value for key, value in per_month.items()}
    participants = {_day(key): value for key, value in participants.items()}
    activity = [
        Series(_("Engagements"), palette_class(0), [(month, per_month.get(month, 0)) for month in months]),
        Series(_("Participants"), palette_class(2), [(month, participants.get(month, 0)) for month in months]),
    ]

    commitments = (
        Commitment.objects.visible_to(user)
        .in_countries([country.pk])
        .aggregate(
            made=Count("pk"),
            done=Count("pk", filter=Q(status=Commitment.Status.DONE)),
            dropped=Count("pk", filter=Q(status=Commitment.Status.DROPPED)),
            overdue=Count(
                "pk",
                filter=Q(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS], due_on__lt=today),
            ),
        )
    )

    outcomes = dict(
        Outcome.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(observed_on__gte=quarters[0], observed_on__lte=today)
        .annotate(quarter=TruncQuarter("observed_on"))
        .values_list("quarter")
        .annotate(n=Count("pk"))
    )
    outcomes = {_day(key): value for key, value in outcomes.items()}
    outcome_series = [Series(_("Outcomes"), palette_class(4), [(q, outcomes.get(q, 0)) for q in quarters])]

    stances = Counter()
    for quarter, stance, count in (
        Assessment.objects.visible_to(user)
        .in_countries([country.pk])
        .filter(assessed_on__gte=quarters[0], assessed_on__lte=today)
        .annotate(quarter=TruncQuarter("assessed_on"))
        .values_list("quarter", "stance")
        .annotate(n=Count("pk"))
    ):
        stances[(_day(quarter), stance)] += count
    stance_series = [
        Series(str(label), stance_class(value), [(q, stances[(q, value)]) for q in quarters])
        for value, label in Assessment.Stance.choices
    ]

    tracks = Counter(
        indicator.progress(today).status
        for indicator in Indicator.objects.visible_to(user).in_countries([country.pk]).with_values()
    )
    return {
        "months": months,
        "activity_chart": _chart(activity, _("Engagements and participants per month")),
        "activity_legend": [(line.colour_class, line.label) for line in activity],
        "activity_rows": [(month, per_month.get(month, 0), participants.get(month, 0)) for month in months],
        "fulfilment": Fulfilment(**commitments),
        "outcome_chart": _chart(outcome_series, _("Outcomes harvested per quarter")),
        "outcome_rows": [(date_format(q, "YEAR_MONTH_FORMAT"), outcomes.get(q, 0)) for q in quarters],
        "stance_chart": _chart(stance_series, _("Assessments by stance per quarter")),
        "stance_legend": [(line.colour_class, line.label) for line in stance_series],
        "tracks": [(str(label), tracks.get(value, 0)) for value, label in TrackStatus.choices],
        "attention": [row for row in health_rows(user=user, countries=[country]) if row.flags],
    }
