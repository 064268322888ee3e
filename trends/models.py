"""Dated snapshots of figures that are otherwise computed on each view, so change can be shown.

A snapshot is taken once a month (and on demand) by `trends.services`; taking it again in the
same month replaces its figures, so a scope has one row per month.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
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


class ReportRunQuerySet(ScopedQuerySet):
    country_lookups = ()

    def visible_to(self, user) -> "ReportRunQuerySet":
        """A staff member's own runs: a kept file is the requester's, whoever else may read the subject."""
        if not is_staff_member(user):
            return self.none()
        return self.filter(requested_by=user)

    def editable_by(self, user) -> "ReportRunQuerySet":
        return self.visible_to(user)


def report_run_file_name(instance, filename: str) -> str:
    """A random name: the download's name is kept in the row, never in the storage."""
    token = secrets.token_hex(20)
    return f"reports/{token[:2]}/{token}.xlsx"


def report_storage():
    """The private storage (`STORAGES["attachments"]`): nothing serves it, the run's download view hands it out."""
    return storages["attachments"]


class ReportRun(TimeStampedModel):
    """A period report's workbook built in the background (a long range), and kept for download a while.

    The run is its requester's; the download checks again that they may still see the subject.
    """

    class Scope(models.TextChoices):
        COALITION = "coalition", _("Coalition")
        INITIATIVE = "initiative", _("Initiative")
        COUNTRY = "country", _("Country")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        SUBJECT_GONE = "subject_gone", _("The report's subject no longer exists or is out of your sight.")
        FAILED = "failed", _("The workbook could not be built. Please try again, or ask an administrator.")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_runs", verbose_name=_("requested by")
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope)
    key = models.CharField(_("subject"), max_length=20, help_text=_("A country's code, or the id of the others."))
    title = models.CharField(_("title"), max_length=300, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(
        _("file"), upload_to=report_run_file_name, storage=report_storage, max_length=255, blank=True
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=20, choices=Error, blank=True)

    objects = ReportRunQuerySet.as_manager()
    history_not_recorded = "a file built in the background and deleted after a while; its progress is rewritten"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="reportrun_progress_0_100",
                violation_error_message=_("Progress is a percentage, from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="reportrun_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.key} · {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("trends:report_run", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
