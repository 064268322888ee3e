"""Dated snapshots of figures that are otherwise computed on each view, so change can be shown.

A snapshot is taken once a month (and on demand) by `trends.services`; taking it again in the
same month replaces its figures, so a scope has one row per month.
"""

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
