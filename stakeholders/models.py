"""Actors around a process: organisations, people and groups, how to reach them, and their ties."""

from functools import reduce
from operator import or_
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from attachments.fields import attachments_relation
from core.models import HttpsURLField, ScopedQuerySet, TimeStampedModel
from core.search import SIMILAR_SCORE, FoldedField, RankedPages, narrowing_words, normalise, similarity
from core.validation import m2m_values
from countries.models import municipality_outside, regions_outside


def partner_coalition_member_ids(organisation_id: int) -> models.QuerySet:
    """Ids of stakeholders with an open membership in a coalition the organisation belongs to.

    Uses reverse relation names only, so this app does not import `coalitions`.
    """
    return Stakeholder.objects.filter(
        memberships__left_on__isnull=True,
        memberships__coalition__memberships__stakeholder_id=organisation_id,
        memberships__coalition__memberships__left_on__isnull=True,
    ).values("pk")


class TagQuerySet(ScopedQuerySet):
    #: The directory's kept rows show their tags' names: every write drops the table's version
    #: (core.short_tables).
    versioned_table = True

    def visible_to_partner(self, organisation_id: int) -> "TagQuerySet":
        """The tags of the stakeholders the partner sees."""
        seen = Stakeholder.objects.visible_to_partner(organisation_id)
        return self.filter(pk__in=Stakeholder.tags.through.objects.filter(stakeholder__in=seen).values("tag_id"))


class Tag(TimeStampedModel):
    """A free label a country team puts on stakeholders (“mining”, “women's groups”) to find them again."""

    country = models.ForeignKey(
        "countries.Country", on_delete=models.CASCADE, related_name="+", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=50)
    #: The name without accents, case-folded (core.search): two spellings of one tag are one tag.
    key = FoldedField(_("key"), max_length=50, source="name")

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["key", "pk"]  # as people read them: case and accents aside
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "key"],
                name="tag_unique_name_per_country",
                violation_error_message=_("This country already has this tag."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('stakeholders:stakeholder_list')}?tag={quote(self.name)}"

    def clean_fields(self, exclude=None) -> None:
        # Single spaces, NFC, and the folded key before any check, so the uniqueness check (and a
        # name of spaces only, which is empty) compares what will be saved.
        self.name = " ".join((self.name or "").split())
        normalise(self)
        super().clean_fields(exclude=exclude)


class StakeholderQuerySet(RankedPages, ScopedQuerySet):
    #: Drawings of many rows (the stakeholder map, the relationship network) are cached under the table's
    #: version, which every write drops (core.short_tables).
    versioned_table = True

    def visible_to_partner(self, organisation_id: int) -> "StakeholderQuerySet":
        return self.filter(Q(pk=organisation_id) | Q(pk__in=partner_coalition_member_ids(organisation_id)))


class Stakeholder(TimeStampedModel):
    """An actor: an organisation, a person or an informal group."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        INFORMAL_GROUP = "informal_group", _("Informal group")

    class Sector(models.TextChoices):
        NATIONAL_GOVERNMENT = "national_government", _("National government")
        SUBNATIONAL_GOVERNMENT = "subnational_government", _("Subnational government")
        OVERSIGHT = "oversight", _("Oversight or legislature")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        COMMUNITY = "community", _("Community organisation")
        INDIGENOUS = "indigenous", _("Indigenous or ethnic community")
        PRIVATE = "private", _("Private sector")
        EXTRACTIVE_ENERGY = "extractive_energy", _("Extractive or energy company")
        ACADEMIA = "academia", _("Academia")
        INTERNATIONAL = "international", _("International cooperation")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        LOCAL = "local", _("Local")
        SUBNATIONAL = "subnational", _("Subnational")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ORGANISATION)
    name = models.CharField(_("name"), max_length=200)
    #: The name without accents, case-folded: what search and the duplicate check compare (core.search).
    search_name = FoldedField(_("search name"), max_length=200, source="name")
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector)
    # No index of its own: stakeholder_directory_idx starts with it.
    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.PROTECT,
        related_name="stakeholders",
        verbose_name=_("country"),
        db_index=False,
    )
    regions = models.ManyToManyField(
        "countries.Region", blank=True, related_name="stakeholders", verbose_name=_("regions where it acts")
    )
    #: Where it is based, when that is one municipality (a mayor's office, a local association).
    municipality = models.ForeignKey(
        "countries.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholders",
        verbose_name=_("municipality"),
        help_text=_("In one of its regions, when it has any."),
        db_index=False,  # stakeholder_municipality_idx, of the rows that have one
    )
    level = models.CharField(_("level"), max_length=20, choices=Level)
    tags = models.ManyToManyField(Tag, blank=True, related_name="stakeholders", verbose_name=_("tags"))
    description = models.TextField(_("description"), blank=True)
    website = HttpsURLField(_("website"), blank=True)
    organisation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
        help_text=_("For a person: the organisation they belong to."),
        db_index=False,  # stakeholder_organisation_idx, of the rows that have one
    )
    # Nothing filters or sorts stakeholders by when they were added (the directory sorts by
    # `updated_at`); an index of it would only cost every write.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    attachments = attachments_relation()
    objects = StakeholderQuerySet.as_manager()
    history_exclude_fields = ("search_name",)  # a copy of the name, written from it

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        # Every index is paid for by every write: a 500,000-row import maintains each one per row. A
        # sector alone is one stakeholder in eight, which a scan reads as fast as the index did; the
        # level index serves the directory's sort by level. The people of an organisation and the
        # stakeholders of a municipality are looked up by id: indexed only where there is one (most
        # rows have neither, and a partial index costs their writes nothing).
        indexes = [
            models.Index(fields=["level"], name="stakeholder_level_idx"),
            models.Index(fields=["name", "id"], name="stakeholder_name_id_idx"),
            # The directory and the API list filter by country and sector and show names in order:
            # this reads the first page straight off the index instead of filtering the name index.
            models.Index(fields=["country", "sector", "name", "id"], name="stakeholder_directory_idx"),
            models.Index(
                fields=["organisation"], condition=Q(organisation__isnull=False), name="stakeholder_organisation_idx"
            ),
            models.Index(
                fields=["municipality"], condition=Q(municipality__isnull=False), name="stakeholder_municipality_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation=F("pk")),
                name="stakeholder_not_own_organisation",
                violation_error_message=_("A stakeholder cannot be its own organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_with_acronym(self.name, self.acronym)

    @staticmethod
    def name_with_acronym(name: str, acronym: str) -> str:
        """How a stakeholder is named, from its two columns: for what lists or records a name without
        building the row (a report's moves in `str()` order, the history of imported rows)."""
        return f"{name} ({acronym})" if acronym else name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:stakeholder_detail", kwargs={"pk": self.pk})

    #: How many candidates sharing a long word with the name are scored at most, and shown.
    DUPLICATE_CANDIDATES, DUPLICATES_SHOWN = 500, 5

    def possible_duplicates(self) -> list["Stakeholder"]:
        """Other stakeholders of the same country with a similar name, most alike first: the rule every
        create path asks (the staff form, the API, the import), whoever may see them.

        The folded column narrows the candidates in the database (any of the name's longest words);
        rapidfuzz scores them (core.search.similarity), so SQLite and PostgreSQL agree.
        """
        words = narrowing_words(self.name or "")
        if not words or not self.country_id:
            return []
        candidates = Stakeholder.objects.filter(country_id=self.country_id).filter(
            reduce(or_, (Q(search_name__contains=word) for word in words))
        )
        if self.pk:
            candidates = candidates.exclude(pk=self.pk)
        scored = [
            (similarity(self.name, row.search_name), row)
            for row in candidates.select_related("country")[: self.DUPLICATE_CANDIDATES]
        ]
        alike = sorted((pair for pair in scored if pair[0] >= SIMILAR_SCORE), key=lambda pair: (-pair[0], pair[1].pk))
        return [row for _score, row in alike[: self.DUPLICATES_SHOWN]]

    def clean(self) -> None:
        errors = {}
        regions = m2m_values(self, "regions")
        if regions and self.country_id:
            elsewhere = regions_outside(self.country, regions)
            if elsewhere:
                errors["regions"] = elsewhere
        if self.municipality_id and self.country_id:
            if self.municipality.country_id != self.country_id:
                errors["municipality"] = _("The municipality must be in the stakeholder's country.")
            elif outside := municipality_outside(self.municipality, regions):
                errors["municipality"] = outside
        tags = m2m_values(self, "tags")
        if tags and self.country_id and any(tag.country_id != self.country_id for tag in tags):
            errors["tags"] = _("Tags must be of the stakeholder's country.")
        if self.organisation_id and self.organisation.kind != self.Kind.ORGANISATION:
            errors["organisation"] = _("The organisation must be an organisation, not a person or an informal group.")
        if errors:
            raise ValidationError(errors)


def duplicates_message(rows: list[Stakeholder]) -> str:
    """The message of a create refused as a likely duplicate, naming the look-alikes."""
    return _("Possible duplicates in this country: %(names)s. Confirm that this is a different stakeholder.") % {
        "names": "; ".join(f"{row} (#{row.pk})" for row in rows)
    }


class ContactQuerySet(RankedPages, ScopedQuerySet):
    country_lookups = ("stakeholder__country",)

    def visible_to_partner(self, organisation_id: int) -> "ContactQuerySet":
        # Personal data: a partner sees only the people of its own organisation.
        return self.filter(Q(stakeholder_id=organisation_id) | Q(stakeholder__organisation_id=organisation_id))


class Contact(TimeStampedModel):
    """A way to reach a stakeholder. Personal data: staff and the stakeholder's own organisation only."""

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        ENGLISH = "en", _("English")

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("stakeholder")
    )
    name = models.CharField(_("name"), max_length=200)
    search_name = FoldedField(_("search name"), max_length=200, source="name")
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language, default=Language.SPANISH
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent source"), max_length=200, blank=True, help_text=_("How consent was obtained, e.g. signed form.")
    )

    objects = ContactQuerySet.as_manager()
    history_exclude_fields = ("search_name",)  # a copy of the name, written from it

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=True) | ~Q(consent_source=""),
                name="contact_consent_has_source",
                violation_error_message=_("Say how consent was given."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.stakeholder.get_absolute_url()


class RelationshipQuerySet(ScopedQuerySet):
    country_lookups = ("source__country",)
    #: Drawings of many rows (the stakeholder map, the relationship network) are cached under the table's
    #: version, which every write drops (core.short_tables).
    versioned_table = True


class Relationship(TimeStampedModel):
    """A directed, typed tie between two stakeholders, as staff see it (staff-only)."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("Alliance")
        CONFLICT = "conflict", _("Conflict")
        FUNDING = "funding", _("Funding")
        MEMBERSHIP = "membership", _("Membership")
        INFLUENCE = "influence", _("Influence")
        COLLABORATION = "collaboration", _("Collaboration")

    source = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="relationships_out", verbose_name=_("source")
    )
    target = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="relationships_in", verbose_name=_("target")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    strength = models.PositiveSmallIntegerField(_("strength"), default=2, help_text=_("1 weak, 2 medium, 3 strong."))
    since = models.DateField(_("since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "target__name", "kind"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        indexes = [models.Index(fields=["kind"], name="relationship_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relationship_no_self_link",
                violation_error_message=_("A stakeholder cannot have a relationship with itself."),
            ),
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="relationship_unique_source_target_kind",
                violation_error_message=_("This relationship already exists."),
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3),
                name="relationship_strength_1_3",
                violation_error_message=_("Strength must be between 1 and 3."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url()
