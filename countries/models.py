"""Countries where the program works and their subnational units."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedQuerySet, TimeStampedModel
from core.search import FoldedField

from .names import country_name, region_name


class CountryQuerySet(ScopedQuerySet):
    country_lookups = ("pk",)
    short_table = True  # every filter by country lists the few countries

    def visible_to_partner(self, organisation_id: int) -> "CountryQuerySet":
        return self.all()


class Country(TimeStampedModel):
    """A country and the state of the program's work in it."""

    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. CO."))
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("program status"), max_length=20, choices=Status, default=Status.EXPLORING)
    # In both languages (core.bilingual): English, and Spanish.
    summary = models.TextField(_("summary (English)"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)

    objects = CountryQuerySet.as_manager()
    #: How the history shows a name it wrote down (its English ISO name) to a reader.
    history_name = staticmethod(country_name)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_iso_alpha2",
                violation_error_message=_("The country code must be two capital letters (ISO 3166-1)."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the database keeps the English ISO name)."""
        return country_name(self.name)

    def get_absolute_url(self) -> str:
        return reverse("coalitions:country_detail", kwargs={"code": self.code.lower()})


class RegionQuerySet(ScopedQuerySet):
    versioned_table = True  # their names are part of a region's kept resource figures (planning.views)

    def visible_to_partner(self, organisation_id: int) -> "RegionQuerySet":
        return self.all()


class Region(TimeStampedModel):
    """A subnational unit: department, region, province, municipality or district."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")
        MUNICIPALITY = "municipality", _("Municipality")
        DISTRICT = "district", _("District")
        OTHER = "other", _("Other")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions", verbose_name=_("country"))
    code = models.CharField(
        _("ISO code"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text=_("ISO 3166-2 code where one exists, e.g. CO-LAG."),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REGION)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )

    objects = RegionQuerySet.as_manager()
    history_name = staticmethod(region_name)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["country", "kind"], name="region_country_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="region_unique_name_in_parent",
                violation_error_message=_("A region with this name already exists in that parent region."),
            ),
            models.UniqueConstraint(
                fields=["country", "name"],
                condition=models.Q(parent__isnull=True),
                name="region_unique_top_level_name",
                violation_error_message=_("A top-level region with this name already exists in the country."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="region_not_own_parent",
                violation_error_message=_("A region cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the database keeps the English ISO name)."""
        return region_name(self.name)

    def get_absolute_url(self) -> str:
        return reverse("coalitions:region_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.parent_id and self.country_id and self.parent.country_id != self.country_id:
            raise ValidationError({"parent": _("The parent region must be in the same country.")})


class MunicipalityQuerySet(ScopedQuerySet):
    versioned_table = True  # their names are part of a region's kept resource figures (planning.views)

    def visible_to_partner(self, organisation_id: int) -> "MunicipalityQuerySet":
        return self.all()


class Municipality(TimeStampedModel):
    """A local government from its country's official list: DANE's DIVIPOLA, INEI's ubigeo, PSA's PSGC."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("country")
    )
    #: The most precise ISO 3166-2 subdivision it lies in: a department (Colombia, Peru), a province or,
    #: for a city that belongs to none, a region (the Philippines).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    code = models.CharField(
        _("official code"),
        max_length=10,
        help_text=_("DANE (5 digits), ubigeo (4 for a province, 6 for a district) or PSGC (10 digits)."),
    )
    name = models.CharField(_("name"), max_length=150)
    #: The name without accents, case-folded: what the picker and the imports compare (core.search).
    search_name = FoldedField(_("search name"), max_length=150, source="name")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)

    objects = MunicipalityQuerySet.as_manager()
    history_exclude_fields = ("search_name",)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        indexes = [models.Index(fields=["region", "name"], name="municipality_region_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "code"],
                name="municipality_unique_code_per_country",
                violation_error_message=_("This country already has a municipality with this official code."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{4,10}$"),
                name="municipality_code_digits",
                violation_error_message=_("The official code must be 4 to 10 digits."),
            ),
        ]

    def __str__(self) -> str:
        # Peru's provinces and districts often share a name (Moquegua the district, Ilo the province).
        if self.kind in (self.Kind.PROVINCE, self.Kind.DISTRICT):
            return f"{self.name} ({self.get_kind_display().lower()})"
        return self.name

    def get_absolute_url(self) -> str:
        return self.region.get_absolute_url()

    def clean(self) -> None:
        if self.region_id and self.country_id and self.region.country_id != self.country_id:
            raise ValidationError({"region": _("The region must be in the municipality's country.")})

    def lies_in(self, region: Region) -> bool:
        """In that region: its own, or the region its province is part of (PH-BEN is in PH-15)."""
        return region.pk in (self.region_id, self.region.parent_id)


def municipality_outside(municipality: Municipality | None, regions: Iterable[Region]) -> str | None:
    """The rule of every row placed in a municipality (a stakeholder, a resource flow): it lies in one of
    the row's regions. The message saying it does not, or None."""
    regions = list(regions)
    if municipality is None or not regions or any(municipality.lies_in(region) for region in regions):
        return None
    return _("%(municipality)s is not in %(regions)s.") % {
        "municipality": municipality,
        "regions": ", ".join(region.display_name for region in regions),
    }


def regions_outside(country: Country | None, regions: Iterable[Region]) -> str | None:
    """The rule of every row placed in regions (a stakeholder, an initiative, a coalition, an entry
    point): all of them in its country. The message naming those that are not, or None."""
    if country is None:
        return None
    elsewhere = [region.display_name for region in regions if region.country_id != country.pk]
    if not elsewhere:
        return None
    return _("These regions are not in %(country)s: %(regions)s.") % {
        "country": country.display_name,
        "regions": ", ".join(elsewhere),
    }
