"""Before and around coalitions: entry-point analysis, development plans and the public money behind them.

This app sits between `accounts` and `coalitions`: coalitions point at plan objectives and at
the entry point an initiative came from, never the other way round.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import HttpsURLField, ScopedQuerySet, TimeStampedModel
from core.validation import m2m_values
from countries.models import municipality_outside, regions_outside

SCORE_HELP = _("1 (very low) to 5 (very high).")


def score_constraint(field: str, message) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"entrypoint_{field}_1_5",
        violation_error_message=message,
    )


class EntryPointQuerySet(ScopedQuerySet):
    """Staff-only: an entry-point analysis judges processes and the people in them."""

    def ranked(self) -> "EntryPointQuerySet":
        """Best candidates first: the sum of the three scores, then impact, then feasibility."""
        return self.annotate(total_score=F("feasibility") + F("impact") + F("added_value")).order_by(
            "-total_score", "-impact", "-feasibility", "-added_value", "title"
        )


class EntryPoint(TimeStampedModel):
    """A candidate process where more engagement of diverse stakeholders could overcome a challenge."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        UNDER_ANALYSIS = "under_analysis", _("Under analysis")
        SELECTED = "selected", _("Selected")
        SET_ASIDE = "set_aside", _("Set aside")

    country = models.ForeignKey(
        "countries.Country", on_delete=models.PROTECT, related_name="entry_points", verbose_name=_("country")
    )
    regions = models.ManyToManyField(
        "countries.Region", blank=True, related_name="entry_points", verbose_name=_("regions")
    )
    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(_("challenge"), help_text=_("The concrete problem the process could overcome."))
    opportunity = models.TextField(_("opportunity"), blank=True, help_text=_("Why now, and why this process."))
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder", blank=True, related_name="entry_points", verbose_name=_("actors involved")
    )
    feasibility = models.PositiveSmallIntegerField(_("feasibility"), help_text=SCORE_HELP)
    feasibility_rationale = models.TextField(_("feasibility rationale"), blank=True)
    impact = models.PositiveSmallIntegerField(_("potential impact"), help_text=SCORE_HELP)
    impact_rationale = models.TextField(_("impact rationale"), blank=True)
    added_value = models.PositiveSmallIntegerField(_("program's added value"), help_text=SCORE_HELP)
    added_value_rationale = models.TextField(_("added value rationale"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.CANDIDATE)
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was selected or set aside (required when set aside).")
    )
    analysed_on = models.DateField(_("analysed on"), null=True, blank=True)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="analysed_entry_points",
        verbose_name=_("analysed by"),
    )

    objects = EntryPointQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "title"]
        verbose_name = _("entry point")
        verbose_name_plural = _("entry points")
        indexes = [models.Index(fields=["country", "status"], name="entrypoint_country_status_idx")]
        constraints = [
            score_constraint("feasibility", _("Feasibility must be between 1 and 5.")),
            score_constraint("impact", _("Potential impact must be between 1 and 5.")),
            score_constraint("added_value", _("Added value must be between 1 and 5.")),
            models.UniqueConstraint(
                fields=["country", "title"],
                name="entrypoint_unique_title_in_country",
                violation_error_message=_("This country already has an entry point with this title."),
            ),
            models.CheckConstraint(
                condition=~Q(status="set_aside") | ~Q(status_reason=""),
                name="entrypoint_set_aside_has_reason",
                violation_error_message=_("Say why the entry point was set aside."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:entrypoint_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        regions = m2m_values(self, "regions")
        if regions and self.country_id:
            elsewhere = regions_outside(self.country, regions)
            if elsewhere:
                errors["regions"] = elsewhere
        actors = m2m_values(self, "stakeholders")
        foreign = [actor.name for actor in actors if actor.country_id != self.country_id] if self.country_id else []
        if foreign:
            errors["stakeholders"] = _("These actors are not in %(country)s: %(actors)s.") % {
                "country": self.country.display_name,
                "actors": ", ".join(foreign),
            }
        # The reverse one-to-one: `coalitions` (above this app) points at the entry point.
        if self.status == self.Status.SELECTED and not hasattr(self, "initiative"):
            errors["status"] = _("Use the select action: it creates the initiative.")
        if errors:
            raise ValidationError(errors)

    @property
    def score(self) -> int:
        """The sum of the three scores (3 to 15): the ranking key."""
        return self.feasibility + self.impact + self.added_value


class PlanQuerySet(ScopedQuerySet):
    """Development plans are public documents: partners read them all."""

    def visible_to_partner(self, organisation_id: int) -> "PlanQuerySet":
        return self.all()


class DevelopmentPlan(TimeStampedModel):
    """A national, regional or municipal development plan and its period."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        MUNICIPAL = "municipal", _("Municipal")

    country = models.ForeignKey(
        "countries.Country", on_delete=models.PROTECT, related_name="development_plans", verbose_name=_("country")
    )
    region = models.ForeignKey(
        "countries.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_plans",
        verbose_name=_("region or municipality"),
        help_text=_("Empty for a national plan."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level, default=Level.REGIONAL)
    name = models.CharField(_("name"), max_length=250)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    source_url = HttpsURLField(_("source link"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")),
                name="developmentplan_start_before_end",
                violation_error_message=_("A plan cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["country", "name"],
                name="developmentplan_unique_name_in_country",
                violation_error_message=_("This country already has a plan with this name."),
            ),
            models.CheckConstraint(
                condition=Q(level="national") | Q(region__isnull=False),
                name="developmentplan_subnational_has_region",
                violation_error_message=_("A regional or municipal plan needs its region or municipality."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}-{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.region_id and self.country_id and self.region.country_id != self.country_id:
            raise ValidationError({"region": _("The region is not in the plan's country.")})


class PlanObjectiveQuerySet(ScopedQuerySet):
    country_lookups = ("plan__country",)
    versioned_table = True  # the objectives' codes and titles are part of a region's kept figures

    def visible_to_partner(self, organisation_id: int) -> "PlanObjectiveQuerySet":
        return self.all()


class PlanObjective(TimeStampedModel):
    """One strategic objective of a development plan, e.g. "OER 3: close water gaps"."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("As the plan numbers it, e.g. OER1."))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    objects = PlanObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("plan objective")
        verbose_name_plural = _("plan objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="planobjective_unique_code_in_plan",
                violation_error_message=_("This plan already has an objective with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("planning:objective_detail", kwargs={"pk": self.pk})


class FundingSource(models.TextChoices):
    """Where public money comes from; shared by transfers and budget execution."""

    MINING_CANON = "mining_canon", _("Mining canon")
    MINING_ROYALTIES = "mining_royalties", _("Mining royalties")
    OTHER_TRANSFERS = "other_transfers", _("Other transfers")
    NATIONAL_PROGRAMME = "national_programme", _("National programme")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    OWN_RESOURCES = "own_resources", _("Own resources")


#: Sources counted as mining revenue on the resources page.
MINING_SOURCES = (FundingSource.MINING_CANON, FundingSource.MINING_ROYALTIES)


class PublicDataQuerySet(ScopedQuerySet):
    """Published public-finance data: every signed-in user may read it; staff change their countries'."""

    country_lookups = ("region__country",)
    #: A region's figures are kept in the cache under the table's version, which every write drops
    #: (core.short_tables; planning.views).
    versioned_table = True

    def visible_to_partner(self, organisation_id: int) -> "PublicDataQuerySet":
        return self.all()


def money_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2)


class ResourceFlow(TimeStampedModel):
    """Money that reached a region or municipality from one source in a fiscal year (or month)."""

    region = models.ForeignKey(
        "countries.Region", on_delete=models.PROTECT, related_name="resource_flows", verbose_name=_("region")
    )
    #: The local government that received it (a district or province of Peru, a municipality); none
    #: for money that reached the region's own government. The region is its, when not given.
    municipality = models.ForeignKey(
        "countries.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resource_flows",
        verbose_name=_("municipality"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, help_text=_("1-12, when known."))
    source = models.CharField(_("source"), max_length=30, choices=FundingSource)
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="PEN", help_text=_("ISO 4217, e.g. PEN, COP."))
    is_sample = models.BooleanField(_("sample figure"), default=False, help_text=_("Illustrative, not official."))
    note = models.CharField(_("note"), max_length=250, blank=True)

    objects = PublicDataQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-fiscal_year", "month", "source"]
        verbose_name = _("resource flow")
        verbose_name_plural = _("resource flows")
        indexes = [models.Index(fields=["region", "fiscal_year", "source"], name="resourceflow_region_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="resourceflow_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="resourceflow_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="resourceflow_currency_iso",
                violation_error_message=_("The currency must be three capital letters (ISO 4217)."),
            ),
            # Partial constraints because NULLs (no month, no municipality) are never equal in a unique index.
            models.UniqueConstraint(
                fields=["region", "fiscal_year", "month", "source"],
                condition=Q(month__isnull=False, municipality__isnull=True),
                name="resourceflow_unique_monthly",
                violation_error_message=_("This region already has this source for that month."),
            ),
            models.UniqueConstraint(
                fields=["region", "fiscal_year", "source"],
                condition=Q(month__isnull=True, municipality__isnull=True),
                name="resourceflow_unique_yearly",
                violation_error_message=_("This region already has this source for that year."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "month", "source"],
                condition=Q(month__isnull=False, municipality__isnull=False),
                name="resourceflow_unique_municipal_monthly",
                violation_error_message=_("This municipality already has this source for that month."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "source"],
                condition=Q(month__isnull=True, municipality__isnull=False),
                name="resourceflow_unique_municipal_yearly",
                violation_error_message=_("This municipality already has this source for that year."),
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.fiscal_year}-{self.month:02d}" if self.month else str(self.fiscal_year)
        return f"{self.municipality or self.region} · {period} · {self.get_source_display()}"

    def clean_fields(self, exclude=None) -> None:
        if self.municipality_id and not self.region_id:
            self.region_id = self.municipality.region_id  # the flow reached the municipality's region
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if self.municipality_id and self.region_id:
            outside = municipality_outside(self.municipality, [self.region])
            if outside:
                raise ValidationError({"municipality": outside})
        if not (self.region_id and self.fiscal_year and self.source):
            return
        # An import gives each row the months of the others once the file is in (`period_months`);
        # any other write reads them here.
        months = getattr(self, "period_months", None)
        if months is None:
            others = ResourceFlow.objects.filter(
                region_id=self.region_id,
                municipality_id=self.municipality_id,
                fiscal_year=self.fiscal_year,
                source=self.source,
            )
            months = list(others.exclude(pk=self.pk).values_list("month", flat=True))
        message = period_clash(self.month, months)
        if message:
            raise ValidationError({"month": message})

    def get_absolute_url(self) -> str:
        return region_resources_url(self.region)


class BudgetExecution(TimeStampedModel):
    """One investment project's budget in a fiscal year: modified budget (allocated) and accrued (executed)."""

    region = models.ForeignKey(
        "countries.Region", on_delete=models.PROTECT, related_name="budget_executions", verbose_name=_("region")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    objective = models.ForeignKey(
        PlanObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_executions",
        verbose_name=_("plan objective"),
    )
    project_code = models.CharField(_("project code"), max_length=40)
    project_name = models.CharField(_("project name"), max_length=300)
    funding_source = models.CharField(_("funding source"), max_length=30, choices=FundingSource)
    allocated = money_field(_("allocated (modified budget)"))
    executed = money_field(_("executed (accrued)"))
    currency = models.CharField(_("currency"), max_length=3, default="PEN")
    is_sample = models.BooleanField(_("sample figure"), default=False, help_text=_("Illustrative, not official."))

    objects = PublicDataQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-fiscal_year", "project_code"]
        verbose_name = _("budget execution")
        verbose_name_plural = _("budget executions")
        indexes = [models.Index(fields=["region", "fiscal_year"], name="budgetexec_region_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__gte=0),
                name="budgetexecution_allocated_not_negative",
                violation_error_message=_("The allocated amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(executed__gte=0),
                name="budgetexecution_executed_not_negative",
                violation_error_message=_("The executed amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="budgetexecution_currency_iso",
                violation_error_message=_("The currency must be three capital letters (ISO 4217)."),
            ),
            models.UniqueConstraint(
                fields=["region", "fiscal_year", "project_code", "funding_source"],
                name="budgetexecution_unique_project_source_year",
                violation_error_message=_("This project already has this funding source in that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_code} · {self.fiscal_year} · {self.get_funding_source_display()}"

    def get_absolute_url(self) -> str:
        return region_resources_url(self.region)

    def clean(self) -> None:
        if not (self.objective_id and self.region_id and self.fiscal_year):
            return
        plan = self.objective.plan
        if plan.region_id != self.region_id or not plan.start_year <= self.fiscal_year <= plan.end_year:
            raise ValidationError(
                {"objective": _("The plan objective must be one of a plan of this region that covers the fiscal year.")}
            )

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.allocated, self.executed)


def period_clash(month: int | None, other_months: list[int | None]) -> str | None:
    """The rule that one region's money from one source in one year is recorded either as a yearly
    total or as monthly rows, never both (the resources page would add them up): why a row for
    `month` (None for the year) cannot sit beside rows for `other_months`, or None. A month out of
    range is its own rule's error, not a clash."""
    if month is not None and not 1 <= month <= 12:
        return None
    other_months = [other for other in other_months if other is None or 1 <= other <= 12]
    if month is None and any(other is not None for other in other_months):
        return _(
            "This region already has monthly rows of this source for that year: record the year either as "
            "one total or as months, not both."
        )
    if month is not None and None in other_months:
        return _(
            "This region already has a yearly total of this source for that year: record the year either as "
            "one total or as months, not both."
        )
    return None


def region_resources_url(region) -> str:
    return reverse("planning:region_resources", kwargs={"code": (region.code or str(region.pk)).lower()})


def execution_rate(allocated: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """Executed / allocated; None when nothing was allocated (a rate of 0/0 means nothing)."""
    if not allocated or executed is None:
        return None
    return executed / allocated


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole, None when the whole is missing or zero."""
    if not whole or part is None:
        return None
    return part / whole


@dataclass(frozen=True)
class SourceUse:
    """What happened to one funding source's money in a region: received, budgeted, spent, and on what."""

    source: str
    transferred: Decimal
    allocated: Decimal
    executed: Decimal
    executed_on_objectives: Decimal

    @property
    def label(self) -> str:
        return str(FundingSource(self.source).label)

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.allocated, self.executed)

    @property
    def share_of_spending_on_objectives(self) -> Decimal | None:
        """Of what was spent from this source, the share spent on projects serving a plan objective."""
        return share(self.executed_on_objectives, self.executed)

    @property
    def share_of_transfers_on_objectives(self) -> Decimal | None:
        """Of what this source transferred, the share spent on plan objectives (unspent money counts against)."""
        return share(self.executed_on_objectives, self.transferred)
