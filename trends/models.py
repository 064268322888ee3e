"""Dated snapshots of figures that are otherwise computed on each view, so change can be shown.

A snapshot is taken once a month (and on demand) by `trends.services`; taking it again in the
same month replaces its figures, so a scope has one row per month.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.models import ScopedQuerySet, TimeStampedModel

#: Why snapshots are not in the history: they are figures computed from rows that are recorded,
#: and a re-run in the same month replaces them.
COMPUTED = "figures computed each month from recorded rows; a re-run in the month replaces them"


class NetworkSnapshotQuerySet(ScopedQuerySet):
    country_lookups = ("country", "initiative__country")


class NetworkSnapshot(TimeStampedModel):
    """The relationship network's figures of a country or an initiative in one month."""

    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_snapshots",
        verbose_name=_("country"),
    )
    initiative = models.ForeignKey(
        "coalitions.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_snapshots",
        verbose_name=_("initiative"),
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month the figures belong to."))
    actors = models.PositiveIntegerField(_("actors"), default=0)
    ties = models.PositiveIntegerField(_("ties"), default=0)
    connected = models.PositiveIntegerField(_("connected actors"), default=0)
    density = models.FloatField(_("density"), default=0.0)
    components = models.PositiveIntegerField(_("groups"), default=0)
    central = models.JSONField(
        _("most central actors"),
        default=list,
        blank=True,
        help_text=_("The most central actors by betweenness, then degree: id, name, degree and betweenness."),
    )
    connected_ids = models.JSONField(_("connected actors' ids"), default=list, blank=True)

    objects = NetworkSnapshotQuerySet.as_manager()
    history_not_recorded = COMPUTED

    class Meta:
        ordering = ["period", "pk"]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, initiative__isnull=True)
                | Q(country__isnull=True, initiative__isnull=False),
                name="networksnapshot_one_scope",
                violation_error_message=_("A network snapshot is of a country or of an initiative, not both."),
            ),
            models.UniqueConstraint(
                fields=["country", "period"],
                condition=Q(initiative__isnull=True),
                name="networksnapshot_one_per_country_month",
                violation_error_message=_("This country's network already has a snapshot for this month."),
            ),
            models.UniqueConstraint(
                fields=["initiative", "period"],
                condition=Q(country__isnull=True),
                name="networksnapshot_one_per_initiative_month",
                violation_error_message=_("This initiative's network already has a snapshot for this month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative or self.country} · {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        scope = {"initiative": self.initiative_id} if self.initiative_id else {"country": self.country_id}
        return reverse("trends:network_history") + "?" + urlencode(scope)


class CoalitionHealthSnapshotQuerySet(ScopedQuerySet):
    country_lookups = ("coalition__initiative__country",)

    def visible_to_partner(self, organisation_id: int) -> "CoalitionHealthSnapshotQuerySet":
        """A partner reads the health of the coalitions its organisation belongs to, as their roll-up."""
        from coalitions.models import partner_coalition_ids

        return self.filter(coalition_id__in=partner_coalition_ids(organisation_id))


class CoalitionHealthSnapshot(TimeStampedModel):
    """A coalition's health figures (those its page shows) in one month, and when it last met."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="health_snapshots", verbose_name=_("coalition")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month the figures belong to."))
    as_of = models.DateField(_("figures as of"))
    members_active = models.PositiveIntegerField(_("active members"), default=0)
    sectors_represented = models.PositiveIntegerField(_("sectors represented"), default=0)
    engagements_last_90_days = models.PositiveIntegerField(_("engagements in the last 90 days"), default=0)
    commitments_done = models.PositiveIntegerField(_("commitments done"), default=0)
    commitments_overdue = models.PositiveIntegerField(_("commitments overdue"), default=0)
    commitments_open = models.PositiveIntegerField(_("commitments open"), default=0)
    last_met_on = models.DateField(_("last met on"), null=True, blank=True)

    objects = CoalitionHealthSnapshotQuerySet.as_manager()
    history_not_recorded = COMPUTED

    class Meta:
        ordering = ["period", "pk"]
        verbose_name = _("coalition health snapshot")
        verbose_name_plural = _("coalition health snapshots")
        indexes = [models.Index(fields=["period"], name="healthsnapshot_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "period"],
                name="healthsnapshot_one_per_month",
                violation_error_message=_("This coalition already has a health snapshot for this month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coalition} · {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return self.coalition.get_absolute_url()


class HealthThresholdsQuerySet(ScopedQuerySet):
    country_lookups = ()
    short_table = True  # one row, read by every dashboard: kept in the cache until it changes (core.short_tables)

    def editable_by(self, user) -> "HealthThresholdsQuerySet":
        """The whole program's thresholds: admins only."""
        return self.all() if getattr(user, "is_authenticated", False) and user.is_admin else self.none()


class HealthThresholds(TimeStampedModel):
    """When a coalition needs attention: the program's thresholds, overriding the settings' defaults.

    One row (saving always writes row 1); an empty value keeps the default of
    `settings.COALITION_HEALTH_THRESHOLDS`.
    """

    members_lost = models.PositiveSmallIntegerField(
        _("members lost"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Flag a coalition with this many fewer active members than the month before."),
    )
    overdue_commitments = models.PositiveSmallIntegerField(
        _("overdue commitments"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Flag a coalition with at least this many overdue commitments."),
    )
    days_without_meeting = models.PositiveSmallIntegerField(
        _("days without meeting"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Flag a coalition whose last engagement was at least this many days ago."),
    )

    objects = HealthThresholdsQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("coalition health thresholds")
        verbose_name_plural = _("coalition health thresholds")

    def __str__(self) -> str:
        return str(_("Coalition health thresholds"))

    def get_absolute_url(self) -> str:
        return reverse("admin:trends_healththresholds_change", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:  # the one row: a new one replaces it, keeping when it was first set
            self.pk = 1
            first_set = HealthThresholds.objects.filter(pk=1).values_list("created_at", flat=True).first()
            self.created_at = first_set or self.created_at
        super().save(*args, **kwargs)
