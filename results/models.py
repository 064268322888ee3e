"""Indicators: what is measured for a plan objective, an initiative or a coalition, and its values.

A small app above `coalitions` (and `planning`) because an indicator may belong to any of the
three; placing it lower would make `planning` or `coalitions` import upwards.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalitions.models import Initiative, partner_coalition_ids
from core.models import ScopedQuerySet, TimeStampedModel
from countries.models import Region
from planning.models import DevelopmentPlan, PlanObjective

#: How far behind the straight line from baseline to target an indicator may be and still count as on track.
ON_TRACK_TOLERANCE = Decimal("0.10")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class TrackStatus(models.TextChoices):
    NO_DATA = "no_data", _("No data")
    NO_TARGET = "no_target", _("No target")
    ACHIEVED = "achieved", _("Target reached")
    ON_TRACK = "on_track", _("On track")
    OFF_TRACK = "off_track", _("Off track")


def progress_towards(
    *, baseline: Decimal | None, target: Decimal | None, current: Decimal | None, direction: str
) -> Decimal | None:
    """The share of the way from baseline to target covered by `current` (1 = target reached).

    Below 0 means the value moved away from the target; above 1, beyond it. None when any of
    the three values is missing. When the target equals the baseline (hold the line), the
    share is 1 if the value is at or on the good side of the target, 0 otherwise.
    """
    if baseline is None or target is None or current is None:
        return None
    if target == baseline:
        good = current >= target if direction == Direction.INCREASE else current <= target
        return Decimal(1) if good else Decimal(0)
    # The sign of (target - baseline) carries the direction, so one formula serves both.
    return (current - baseline) / (target - baseline)


def expected_share_of_time(*, baseline_year: int, target_year: int, on: datetime.date) -> Decimal:
    """How much of the time from baseline (end of its year) to target (end of its year) had passed by `on`."""
    start = datetime.date(baseline_year, 12, 31)
    end = datetime.date(target_year, 12, 31)
    if end <= start:
        return Decimal(1)
    elapsed = (on - start).days / (end - start).days
    return Decimal(str(round(min(max(elapsed, 0.0), 1.0), 4)))


@dataclass(frozen=True)
class Progress:
    """An indicator's computed progress at its latest value."""

    status: str
    share: Decimal | None  # share of the way from baseline to target
    expected: Decimal | None  # share of the time elapsed at the latest value

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def bar_percent(self) -> int:
        """The share for a progress bar: 0 to 100."""
        return 0 if self.share is None else max(0, min(100, round(self.share * 100)))

    @property
    def status_label(self) -> str:
        return str(TrackStatus(self.status).label)


class IndicatorQuerySet(ScopedQuerySet):
    country_lookups = ("objective__plan__country", "initiative__country", "coalition__initiative__country")

    def visible_to_partner(self, organisation_id: int) -> "IndicatorQuerySet":
        """Indicators of the partner's coalitions and of their (or public) initiatives, and of public plans."""
        initiatives = Initiative.objects.visible_to_partner(organisation_id).values("pk")
        return self.filter(
            Q(coalition_id__in=partner_coalition_ids(organisation_id))
            | Q(initiative_id__in=initiatives)
            | Q(objective__isnull=False)
        )

    def with_values(self) -> "IndicatorQuerySet":
        """Prefetch the values newest first, so `progress` costs no query per indicator."""
        return self.prefetch_related(
            models.Prefetch("values", queryset=IndicatorValue.objects.order_by("-period_end", "-pk"))
        )


class Indicator(TimeStampedModel):
    """What is measured for one plan objective, initiative or coalition, from a baseline towards a target."""

    objective = models.ForeignKey(
        "planning.PlanObjective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("plan objective"),
    )
    initiative = models.ForeignKey(
        "coalitions.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("initiative"),
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("coalition"),
    )
    region = models.ForeignKey(
        "countries.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("region"),
        help_text=_("Where it is measured, when narrower than its owner."),
    )
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("e.g. communities, households, %."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction, default=Direction.INCREASE)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=2, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(objective__isnull=False, initiative__isnull=True, coalition__isnull=True)
                    | Q(objective__isnull=True, initiative__isnull=False, coalition__isnull=True)
                    | Q(objective__isnull=True, initiative__isnull=True, coalition__isnull=False)
                ),
                name="indicator_exactly_one_owner",
                violation_error_message=_(
                    "An indicator belongs to exactly one plan objective, initiative or coalition."
                ),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(baseline_year__lte=F("target_year")),
                name="indicator_baseline_before_target",
                violation_error_message=_("The baseline year cannot come after the target year."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(baseline_value__isnull=True)
                    | Q(target_value__isnull=True)
                    | Q(direction="increase", target_value__gte=F("baseline_value"))
                    | Q(direction="decrease", target_value__lte=F("baseline_value"))
                ),
                name="indicator_target_matches_direction",
                violation_error_message=_("The target must lie on the better side of the baseline."),
            ),
            models.UniqueConstraint(
                fields=["objective", "name"],
                condition=Q(objective__isnull=False),
                name="indicator_unique_name_per_objective",
                violation_error_message=_("This plan objective already has an indicator with this name."),
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"],
                condition=Q(initiative__isnull=False),
                name="indicator_unique_name_per_initiative",
                violation_error_message=_("This initiative already has an indicator with this name."),
            ),
            models.UniqueConstraint(
                fields=["coalition", "name"],
                condition=Q(coalition__isnull=False),
                name="indicator_unique_name_per_coalition",
                violation_error_message=_("This coalition already has an indicator with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("results:indicator_detail", kwargs={"pk": self.pk})

    @property
    def owner(self):
        return self.objective or self.initiative or self.coalition

    def owner_country_id(self) -> int | None:
        """The country of the plan objective, initiative or coalition the indicator belongs to."""
        if self.objective_id:
            return self.objective.plan.country_id
        if self.initiative_id:
            return self.initiative.country_id
        if self.coalition_id:
            return self.coalition.initiative.country_id
        return None

    def clean(self) -> None:
        country_id = self.owner_country_id() if self.region_id else None
        if country_id is not None and self.region.country_id != country_id:
            raise ValidationError(
                {"region": _("The region must be in the country of the indicator's plan, initiative or coalition.")}
            )

    @property
    def latest_value(self) -> "IndicatorValue | None":
        """The newest value; free when the queryset used `with_values()`."""
        values = list(self.values.all())  # prefetched newest first
        return max(values, key=lambda v: (v.period_end, v.pk)) if values else None

    def progress(self, today: datetime.date | None = None) -> Progress:
        """Progress at the latest value, and whether that is on track given the time elapsed."""
        latest = self.latest_value
        if latest is None:
            return Progress(TrackStatus.NO_DATA, None, None)
        if self.target_value is None or self.baseline_value is None:
            return Progress(TrackStatus.NO_TARGET, None, None)
        share = progress_towards(
            baseline=self.baseline_value, target=self.target_value, current=latest.value, direction=self.direction
        )
        if share >= 1:
            return Progress(TrackStatus.ACHIEVED, share, None)
        if self.baseline_year is None or self.target_year is None:
            return Progress(TrackStatus.NO_TARGET, share, None)
        expected = expected_share_of_time(
            baseline_year=self.baseline_year, target_year=self.target_year, on=latest.period_end
        )
        if (today or timezone.localdate()).year > self.target_year:
            return Progress(TrackStatus.OFF_TRACK, share, Decimal(1))  # the deadline passed, target not reached
        status = TrackStatus.ON_TRACK if share >= expected - ON_TRACK_TOLERANCE else TrackStatus.OFF_TRACK
        return Progress(status, share, expected)


class IndicatorValueQuerySet(ScopedQuerySet):
    country_lookups = tuple(f"indicator__{lookup}" for lookup in IndicatorQuerySet.country_lookups)

    def visible_to_partner(self, organisation_id: int) -> "IndicatorValueQuerySet":
        return self.filter(indicator__in=Indicator.objects.visible_to_partner(organisation_id).values("pk"))


class IndicatorValue(TimeStampedModel):
    """One measurement of an indicator for a period, with its source."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period_end = models.DateField(_("period (end date)"), help_text=_("The last day of the period measured."))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-period_end"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                name="indicatorvalue_unique_period",
                violation_error_message=_("This indicator already has a value for that period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period_end}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


def plan_indicators_of(user, owner) -> IndicatorQuerySet:
    """The visible indicators of a development plan, a plan objective, or the plans of a region,
    with their values (two queries)."""
    indicators = Indicator.objects.visible_to(user).select_related("objective__plan").with_values()
    if isinstance(owner, PlanObjective):
        return indicators.filter(objective=owner)
    if isinstance(owner, DevelopmentPlan):
        return indicators.filter(objective__plan=owner)
    if isinstance(owner, Region):
        return indicators.filter(objective__plan__region=owner).order_by(
            "objective__plan__name", "objective__code", "name"
        )
    raise TypeError(f"plan_indicators_of takes a plan, an objective or a region, not {type(owner).__name__}")
