"""Initiatives, assessments of actors in them, coalitions and what coalitions do and achieve."""

import datetime
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attachments.fields import attachments_relation
from core.expressions import count_of
from core.models import HttpsURLField, ScopedQuerySet, TimeStampedModel
from core.short_tables import KEPT_TIMEOUT, kept, table_version
from core.validation import m2m_values
from core.versions import code_version
from countries.models import regions_outside
from stakeholders.models import Stakeholder


def partner_coalition_ids(organisation_id: int) -> models.QuerySet:
    """Ids of the coalitions in which the organisation has an open membership."""
    return Membership.objects.filter(stakeholder_id=organisation_id, left_on__isnull=True).values("coalition_id")


class InitiativeQuerySet(ScopedQuerySet):
    #: Their names, countries and regions are part of renderings kept under the table's version (a
    #: period report's moves, a country's panels), and a row's country is its initiative's (the
    #: country dashboard's figures): every write drops the version (core.short_tables).
    versioned_table = True

    def visible_to_partner(self, organisation_id: int) -> "InitiativeQuerySet":
        in_partner_coalitions = Coalition.objects.filter(pk__in=partner_coalition_ids(organisation_id))
        return self.filter(Q(is_public=True) | Q(pk__in=in_partner_coalitions.values("initiative_id")))

    def public(self) -> "InitiativeQuerySet":
        """What the public site may show: the initiatives staff marked public."""
        return self.filter(is_public=True)


class Initiative(TimeStampedModel):
    """A national or subnational process that coalitions form around."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        SUBNATIONAL = "subnational", _("Subnational")

    class Phase(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        ENTRY_POINT_ANALYSIS = "entry_point_analysis", _("Entry-point analysis")
        COALITION_BUILDING = "coalition_building", _("Coalition building")
        IMPLEMENTATION = "implementation", _("Implementation")
        SUSTAINING = "sustaining", _("Sustaining")
        CLOSED = "closed", _("Closed")

    country = models.ForeignKey(
        "countries.Country", on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("country")
    )
    regions = models.ManyToManyField(
        "countries.Region", blank=True, related_name="initiatives", verbose_name=_("regions")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level)
    name = models.CharField(_("name"), max_length=200)
    # In both languages (core.bilingual): English, and Spanish.
    shared_objective = models.TextField(_("shared objective (English)"))
    shared_objective_es = models.TextField(_("shared objective (Spanish)"), blank=True)
    phase = models.CharField(_("phase"), max_length=30, choices=Phase, default=Phase.EXPLORING)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    lead = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_initiatives",
        verbose_name=_("lead stakeholder"),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public country pages and to every partner.")
    )
    # Links into `planning` (issue 7): where the initiative came from and which plan objectives it pursues.
    entry_point = models.OneToOneField(
        "planning.EntryPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative",
        verbose_name=_("entry point"),
        help_text=_("The analysed entry point this initiative was selected from."),
    )
    objectives = models.ManyToManyField(
        "planning.PlanObjective", blank=True, related_name="initiatives", verbose_name=_("plan objectives pursued")
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["country", "phase"], name="initiative_country_phase_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="initiative_ends_after_start",
                violation_error_message=_("An initiative cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalitions:initiative_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        regions = m2m_values(self, "regions")
        if regions and self.country_id:
            elsewhere = regions_outside(self.country, regions)
            if elsewhere:
                errors["regions"] = elsewhere
        if self.lead_id and self.country_id and self.lead.country_id != self.country_id:
            errors["lead"] = _("The lead must be an actor of the initiative's country.")
        if errors:
            raise ValidationError(errors)


class AssessmentQuerySet(ScopedQuerySet):
    country_lookups = ("initiative__country",)
    #: Drawings of many rows (the stakeholder map, the relationship network) are cached under the table's
    #: version, which every write drops (core.short_tables).
    versioned_table = True

    def latest(self) -> "AssessmentQuerySet":
        """Only the newest assessment of each (stakeholder, initiative) pair."""
        newer = Assessment.objects.filter(
            stakeholder=OuterRef("stakeholder"),
            initiative=OuterRef("initiative"),
            assessed_on__gt=OuterRef("assessed_on"),
        )
        return self.filter(~Exists(newer))

    def as_of(self, day: datetime.date) -> "AssessmentQuerySet":
        """Only each pair's newest assessment on or before `day`: where every actor stood that day."""
        newer = Assessment.objects.filter(
            stakeholder=OuterRef("stakeholder"),
            initiative=OuterRef("initiative"),
            assessed_on__gt=OuterRef("assessed_on"),
            assessed_on__lte=day,
        )
        return self.filter(assessed_on__lte=day).filter(~Exists(newer))


class Assessment(TimeStampedModel):
    """A dated judgement of one actor's power, capabilities, interest and stance in one initiative.

    Staff-only: these are political judgements about named people and institutions.
    """

    class Stance(models.IntegerChoices):
        STRONGLY_OPPOSED = -2, pgettext_lazy("stance", "Strongly opposed")
        OPPOSED = -1, pgettext_lazy("stance", "Opposed")
        NEUTRAL = 0, pgettext_lazy("stance", "Neutral")
        SUPPORTIVE = 1, pgettext_lazy("stance", "Supportive")
        CHAMPION = 2, pgettext_lazy("stance", "Champion")

    SCORE_HELP = _("1 (very low) to 5 (very high).")

    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("stakeholder")
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("initiative")
    )
    assessed_on = models.DateField(_("assessed on"))
    power = models.PositiveSmallIntegerField(_("power"), help_text=SCORE_HELP)
    capabilities = models.PositiveSmallIntegerField(_("capabilities"), help_text=SCORE_HELP)
    interest = models.PositiveSmallIntegerField(_("interest"), help_text=SCORE_HELP)
    stance = models.SmallIntegerField(_("stance"), choices=Stance, default=Stance.NEUTRAL)
    rationale = models.TextField(_("rationale"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("assessed by"),
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["initiative", "stakeholder", "-assessed_on"], name="assessment_latest_idx"),
            models.Index(fields=["stance"], name="assessment_stance_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(power__gte=1, power__lte=5),
                name="assessment_power_1_5",
                violation_error_message=_("Power must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(capabilities__gte=1, capabilities__lte=5),
                name="assessment_capabilities_1_5",
                violation_error_message=_("Capabilities must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5),
                name="assessment_interest_1_5",
                violation_error_message=_("Interest must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(stance__gte=-2, stance__lte=2),
                name="assessment_stance_range",
                violation_error_message=_("Stance must be between -2 (strongly opposed) and +2 (champion)."),
            ),
            models.UniqueConstraint(
                fields=["stakeholder", "initiative", "assessed_on"],
                name="assessment_one_per_day",
                violation_error_message=_(
                    "This stakeholder already has an assessment in this initiative on that date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.initiative} · {self.assessed_on}"

    def get_absolute_url(self) -> str:
        return self.initiative.get_absolute_url()

    def clean(self) -> None:
        """Actors are assessed in the initiatives of their country; one assessed already keeps being assessable."""
        if not (self.stakeholder_id and self.initiative_id):
            return
        if self.stakeholder.country_id == self.initiative.country_id:
            return
        earlier = Assessment.objects.filter(stakeholder_id=self.stakeholder_id, initiative_id=self.initiative_id)
        if not earlier.exclude(pk=self.pk).exists():
            raise ValidationError({"stakeholder": _("Only actors of the initiative's country can be assessed in it.")})


class CoalitionQuerySet(ScopedQuerySet):
    #: Figures counted from many rows (the roll-ups) are kept in the cache under the table's version,
    #: which every write drops (core.short_tables).
    versioned_table = True

    country_lookups = ("initiative__country",)

    def visible_to_partner(self, organisation_id: int) -> "CoalitionQuerySet":
        return self.filter(pk__in=partner_coalition_ids(organisation_id))

    def public(self) -> "CoalitionQuerySet":
        """Public coalitions of public initiatives: a coalition shown alone would name a hidden initiative."""
        return self.filter(is_public=True, initiative__is_public=True)

    def with_member_counts(self) -> "CoalitionQuerySet":
        """Each coalition's current and former members (`members_current`, `members_former`), counted
        off the memberships' indexes; `kept_member_counts` keeps them for the next reader."""
        memberships = Membership.objects.filter(coalition=OuterRef("pk"))
        return self.annotate(
            members_current=count_of(memberships.filter(left_on__isnull=True)),
            members_former=count_of(memberships.filter(left_on__isnull=False)),
        )

    def with_health(self, today: datetime.date | None = None) -> "CoalitionQuerySet":
        """Each coalition's health figures as `health_*` annotations, which `Coalition.health()` then reads.

        Correlated subqueries rather than joins: each counts one coalition's rows off its own
        index, and a page of coalitions costs no GROUP BY over the whole table.
        """
        today = today or timezone.localdate()
        coalition = OuterRef("pk")
        # Members on that day: joined by then and not yet left (a past day gives the monthly
        # snapshots of trends the members of that day, not today's).
        members = Membership.objects.filter(coalition=coalition, joined_on__lte=today).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=today)
        )
        unfinished = Commitment.objects.filter(
            coalition=coalition, status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
        )
        recent = Engagement.objects.filter(
            coalition=coalition, occurred_on__gt=today - datetime.timedelta(days=90), occurred_on__lte=today
        )
        return self.annotate(
            health_members_active=count_of(members),
            health_sectors_represented=count_of(members, "stakeholder__sector", distinct=True),
            health_engagements_last_90_days=count_of(recent),
            health_commitments_done=count_of(
                Commitment.objects.filter(coalition=coalition, status=Commitment.Status.DONE)
            ),
            health_commitments_overdue=count_of(unfinished.filter(due_on__lt=today)),
            health_commitments_open=count_of(unfinished),
        )


@dataclass(frozen=True)
class CoalitionHealth:
    """Figures that tell whether a coalition is alive: who is in it and whether it acts."""

    members_active: int
    sectors_represented: int
    engagements_last_90_days: int
    commitments_done: int
    commitments_overdue: int
    commitments_open: int

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in fields(cls)]


class Coalition(TimeStampedModel):
    """Actors who disagree on much but share one goal, organised around an initiative."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        SUBNATIONAL = "subnational", _("Subnational")
        LOCAL = "local", _("Local")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        SUSTAINING = "sustaining", _("Sustaining")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="coalitions", verbose_name=_("initiative")
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level)
    regions = models.ManyToManyField(
        "countries.Region", blank=True, related_name="coalitions", verbose_name=_("regions")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("linked national coalition"),
        help_text=_("For a local coalition: the national or subnational coalition it is linked to."),
    )
    # In both languages (core.bilingual): English, and Spanish.
    shared_goal = models.TextField(_("shared goal (English)"))
    shared_goal_es = models.TextField(_("shared goal (Spanish)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.FORMING)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public country pages."))
    objectives = models.ManyToManyField(
        "planning.PlanObjective", blank=True, related_name="coalitions", verbose_name=_("plan objectives pursued")
    )

    objects = CoalitionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        indexes = [
            models.Index(fields=["status"], name="coalition_status_idx"),
            # A page of coalitions in their order (a country's roll-up, the list) read off the index,
            # rather than all of a country's thousands of coalitions sorted for 25 of them.
            models.Index(fields=["name", "id"], name="coalition_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="coalition_not_own_parent",
                violation_error_message=_("A coalition cannot be linked to itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalitions:coalition_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        regions = m2m_values(self, "regions")
        if regions and self.initiative_id:
            elsewhere = regions_outside(self.initiative.country, regions)
            if elsewhere:
                errors["regions"] = elsewhere
        if self.pk is not None and self.parent_id not in (None, self.pk) and self.pk in self.ancestor_ids():
            errors["parent"] = _("A coalition cannot be linked under one of its own local coalitions.")
        if errors:
            raise ValidationError(errors)

    def ancestor_ids(self) -> list[int]:
        """The ids of the coalitions above this one (its parent, the parent's parent...), nearest first."""
        found: list[int] = []
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in found:
            found.append(parent_id)
            parent_id = Coalition.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        return found

    def health(self, today: datetime.date | None = None) -> CoalitionHealth:
        """Health figures: those `with_health()` annotated (for today), else those kept in the cache for
        the day while none of the tables they count has changed, else one query, whatever the size.

        Kept because counting a big coalition's members and their sectors reads every membership
        and its stakeholder: the cost of the panel and the API would grow with the coalition.
        """
        names = CoalitionHealth.names()
        if today is None and all(hasattr(self, f"health_{name}") for name in names):
            return CoalitionHealth(**{name: getattr(self, f"health_{name}") for name in names})
        day = today or timezone.localdate()
        key = f"coalition-health:{code_version()}:{self.pk}:{day}:{':'.join(table_version(*HEALTH_TABLES))}"
        return CoalitionHealth(**kept(key, lambda: self.counted_health(day)))

    def counted_health(self, day: datetime.date) -> dict[str, int]:
        """The health figures of `day` counted from the rows (`with_health`), in one query: what the cache keeps."""
        names = CoalitionHealth.names()
        row = Coalition.objects.filter(pk=self.pk).with_health(day).values(*(f"health_{name}" for name in names)).get()
        return {name: row[f"health_{name}"] for name in names}


def _member_counts_key(coalition_id: int) -> str:
    (memberships,) = table_version(Membership)
    return f"coalition-member-counts:{code_version()}:{memberships}:{coalition_id}"


def kept_member_counts(coalition_id: int) -> tuple[int, int] | None:
    """A coalition's current and former member counts as last counted, while no membership changed since.

    Counting them reads every membership of the coalition (tens of thousands in the biggest), so
    the coalition's page counts them once (`with_member_counts`) and keeps them under the memberships'
    table version (core.short_tables), which every write to the table drops: None until then.
    """
    return cache.get(_member_counts_key(coalition_id))


def keep_member_counts(coalition: "Coalition") -> None:
    """Keep the counts `with_member_counts` annotated on the coalition, for `kept_member_counts`."""
    counts = (coalition.members_current, coalition.members_former)
    cache.set(_member_counts_key(coalition.pk), counts, KEPT_TIMEOUT)


#: Members the public site may name: organisations and groups, never a person.
PUBLIC_MEMBER_KINDS = (Stakeholder.Kind.ORGANISATION, Stakeholder.Kind.INFORMAL_GROUP)


class CoalitionPartQuerySet(ScopedQuerySet):
    """Rows that belong to one coalition: partners see those of their coalitions."""

    #: Figures counted from many rows (the roll-ups) are kept in the cache under the table's version,
    #: which every write drops (core.short_tables).
    versioned_table = True

    country_lookups = ("coalition__initiative__country",)

    def visible_to_partner(self, organisation_id: int) -> "CoalitionPartQuerySet":
        return self.filter(coalition_id__in=partner_coalition_ids(organisation_id))


class MembershipQuerySet(CoalitionPartQuerySet):
    def open(self) -> "MembershipQuerySet":
        return self.filter(left_on__isnull=True)

    def public(self) -> "MembershipQuerySet":
        """The current member organisations and groups of public coalitions: never a person."""
        return self.open().filter(coalition__in=Coalition.objects.public(), stakeholder__kind__in=PUBLIC_MEMBER_KINDS)


class Membership(TimeStampedModel):
    """A stakeholder's membership of a coalition, with its role and dates; history is kept."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("Convener")
        FACILITATOR = "facilitator", _("Facilitator")
        CHAMPION = "champion", pgettext_lazy("membership role", "Champion")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("coalition")
    )
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("stakeholder")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        # Members in the order they joined; a coalition's members page filters by coalition first,
        # so its pages are read off `membership_open_page_idx` / `membership_page_idx`.
        ordering = ["joined_on", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["stakeholder", "left_on"], name="membership_stakeholder_idx"),
            models.Index(fields=["coalition", "left_on"], name="membership_coalition_idx"),
            # A page of a coalition's current members in the default order, read straight off the
            # index: the 5,000-member coalition would otherwise sort all its members for 50 rows.
            models.Index(
                fields=["coalition", "joined_on", "id"],
                condition=Q(left_on__isnull=True),
                name="membership_open_page_idx",
            ),
            # The same order for all members, past ones too: the API's page of a coalition's members.
            models.Index(fields=["coalition", "joined_on", "id"], name="membership_page_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "stakeholder"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_stakeholder",
                violation_error_message=_("This stakeholder is already a member of this coalition."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.coalition} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.coalition.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.left_on is None

    @staticmethod
    def merge_clash(kept: "Membership", moved: "Membership") -> "Membership":
        """Two stakeholders merged while both open members of one coalition: the earlier start stays
        (stakeholders.services.stakeholder_merge asks this)."""
        return moved if moved.joined_on < kept.joined_on else kept


class Commitment(TimeStampedModel):
    """An action-plan item: who committed to do what, by when, and the evidence it was done."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("coalition")
    )
    owner = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("owner")
    )
    description = models.TextField(_("description"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    evidence = models.TextField(_("evidence"), blank=True)
    objective = models.ForeignKey(
        "planning.PlanObjective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("plan objective served"),
    )

    attachments = attachments_relation()
    objects = CoalitionPartQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["status", "due_on"], name="commitment_status_due_idx"),
            # The dashboard's "due soon and overdue": unfinished commitments in due order, read off
            # the index instead of sorting every commitment of the user's countries.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["planned", "in_progress"]),
                name="commitment_unfinished_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("coalitions:commitment_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if not (self.coalition_id and self.owner_id):
            return
        if self.owner.country_id == self.coalition.initiative.country_id:
            return
        if not Membership.objects.filter(coalition_id=self.coalition_id, stakeholder_id=self.owner_id).exists():
            raise ValidationError(
                {"owner": _("The owner must be an actor of the coalition's country or one of its members.")}
            )

    def mark_done(self) -> None:
        """Done, through every rule of the row (a page's one-click "mark done", not the whole form)."""
        from core.validation import save_valid

        self.status = self.Status.DONE
        save_valid(self)


def check_coalition_in_initiative(row: "Engagement | LearningNote") -> None:
    """An engagement or a learning note naming both a coalition and an initiative: the coalition is one of
    the initiative's, so the row never shows up on (and is never editable from) another country's initiative."""
    if row.coalition_id and row.initiative_id and row.coalition.initiative_id != row.initiative_id:
        raise ValidationError({"initiative": _("This coalition belongs to another initiative.")})


class EngagementQuerySet(ScopedQuerySet):
    #: Figures counted from many rows (the roll-ups) are kept in the cache under the table's version,
    #: which every write drops (core.short_tables).
    versioned_table = True

    country_lookups = ("coalition__initiative__country", "initiative__country")

    def visible_to_partner(self, organisation_id: int) -> "EngagementQuerySet":
        return self.filter(coalition_id__in=partner_coalition_ids(organisation_id))


class Engagement(TimeStampedModel):
    """A meeting, co-creation workshop, dialogue, call, field visit or email, and what came of it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Co-creation workshop")
        DIALOGUE = "dialogue", _("Dialogue")
        CALL = "call", _("Call")
        FIELD_VISIT = "field_visit", _("Field visit")
        EMAIL = "email", _("Email")

    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    agreements = models.TextField(_("agreements"), blank=True)
    coalition = models.ForeignKey(
        Coalition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("coalition"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("initiative"),
    )
    participants = models.ManyToManyField(
        "stakeholders.Stakeholder", blank=True, related_name="engagements", verbose_name=_("participants")
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True, help_text=_("What has to happen next, and who does it."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_engagements",
        verbose_name=_("recorded by"),
    )

    attachments = attachments_relation()
    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [
            # A coalition's engagements of a period, and their ids (the participants' join), off the index
            # alone: the roll-up counts a country's thousands of coalitions this way. Newest first too,
            # as the coalition page lists them.
            models.Index(fields=["coalition", "-occurred_on", "-id"], name="engagement_period_idx"),
            models.Index(fields=["follow_up_on"], name="engagement_follow_up_idx"),
            # The latest engagements (dashboard, API default order) newest first off the index,
            # rather than a sort of every engagement for one page.
            models.Index(fields=["-occurred_on", "-id"], name="engagement_latest_idx"),
            models.Index(fields=["kind"], name="engagement_kind_idx"),
            # An initiative's latest engagements (its activity panel) off the index, whatever their number.
            models.Index(fields=["initiative", "-occurred_on", "-id"], name="engagement_initiative_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(coalition__isnull=False) | Q(initiative__isnull=False),
                name="engagement_has_coalition_or_initiative",
                violation_error_message=_("Say which coalition or initiative this engagement belongs to."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("occurred_on")),
                name="engagement_follow_up_not_before",
                violation_error_message=_("The follow-up cannot be due before the engagement took place."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.occurred_on})"

    def get_absolute_url(self) -> str:
        return reverse("coalitions:engagement_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        # An engagement of a coalition is an engagement of its initiative: the initiative is the
        # coalition's unless it is given, and a different one is refused.
        if self.coalition_id and not self.initiative_id:
            self.initiative_id = self.coalition.initiative_id
        check_coalition_in_initiative(self)


#: The tables a coalition's health counts (`with_health`): a write to any of them (a member's sector
#: included) drops every kept figure (`Coalition.health`).
HEALTH_TABLES = (Membership, Stakeholder, Engagement, Commitment)


class OutcomeQuerySet(CoalitionPartQuerySet):
    def public(self) -> "OutcomeQuerySet":
        """Outcomes staff published, of public coalitions only."""
        return self.filter(is_public=True, coalition__in=Coalition.objects.public())


class Outcome(TimeStampedModel):
    """An observed change in an actor's behaviour, relationships, policies or practices (outcome harvesting)."""

    class ChangeType(models.TextChoices):
        BEHAVIOUR = "behaviour", _("Behaviour")
        RELATIONSHIP = "relationship", _("Relationship")
        POLICY = "policy", _("Policy")
        PRACTICE = "practice", _("Practice")

    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("coalition")
    )
    description = models.TextField(_("description"), help_text=_("Who changed what, when and where."))
    change_type = models.CharField(_("type of change"), max_length=20, choices=ChangeType, default=ChangeType.BEHAVIOUR)
    observed_on = models.DateField(_("observed on"))
    actors = models.ManyToManyField(
        "stakeholders.Stakeholder", blank=True, related_name="outcomes", verbose_name=_("actors who changed")
    )
    significance = models.TextField(_("significance"), blank=True, help_text=_("Why the change matters."))
    contribution = models.TextField(_("contribution"), blank=True, help_text=_("How the coalition contributed."))
    evidence_url = HttpsURLField(_("evidence link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_outcomes",
        verbose_name=_("recorded by"),
    )
    objective = models.ForeignKey(
        "planning.PlanObjective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("plan objective served"),
    )
    is_public = models.BooleanField(
        _("on the public site"),
        default=False,
        help_text=_(
            "Published on the public site (description, type of change, date, significance and contribution, "
            "never the actors), when its coalition is public too."
        ),
    )

    attachments = attachments_relation()
    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        indexes = [models.Index(fields=["coalition", "-observed_on"], name="outcome_coalition_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("coalitions:outcome_detail", kwargs={"pk": self.pk})


class LearningNoteQuerySet(ScopedQuerySet):
    #: Figures counted from many rows (the roll-ups) are kept in the cache under the table's version,
    #: which every write drops (core.short_tables).
    versioned_table = True

    country_lookups = ("coalition__initiative__country", "initiative__country")

    def visible_to_partner(self, organisation_id: int) -> "LearningNoteQuerySet":
        coalition_ids = partner_coalition_ids(organisation_id)
        shared = LearningNote.objects.filter(shared_with__in=coalition_ids).values("pk")
        return self.filter(Q(coalition_id__in=coalition_ids) | Q(pk__in=shared))

    def public(self) -> "LearningNoteQuerySet":
        """Notes staff published, of a public coalition, or of a public initiative when they name no coalition."""
        return self.filter(is_public=True).filter(
            Q(coalition__in=Coalition.objects.public())
            | Q(coalition__isnull=True, initiative__in=Initiative.objects.public())
        )


class LearningNote(TimeStampedModel):
    """What was tried, what happened and what changes next; shared across levels and countries."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    coalition = models.ForeignKey(
        Coalition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_notes",
        verbose_name=_("coalition"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_notes",
        verbose_name=_("initiative"),
    )
    shared_with = models.ManyToManyField(
        Coalition, blank=True, related_name="shared_learning_notes", verbose_name=_("shared with coalitions")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_notes",
        verbose_name=_("author"),
    )
    is_public = models.BooleanField(
        _("on the public site"),
        default=False,
        help_text=_(
            "Published on the public site (title and text, never the author), when its coalition "
            "(or, without one, its initiative) is public too."
        ),
    )

    attachments = attachments_relation()
    objects = LearningNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("learning note")
        verbose_name_plural = _("learning notes")
        indexes = [
            # An initiative's latest notes (its activity panel) off the index, whatever their number.
            models.Index(fields=["initiative", "-created_at", "-id"], name="learningnote_initiative_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(coalition__isnull=False) | Q(initiative__isnull=False),
                name="learningnote_has_coalition_or_initiative",
                violation_error_message=_("Say which coalition or initiative this note belongs to."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coalitions:learningnote_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        check_coalition_in_initiative(self)
