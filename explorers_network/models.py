"""The Governance Explorers: a global network of people who join from a public page."""

import pycountry
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedQuerySet, TimeStampedModel
from countries.models import Country

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda choice: choice[1])


class Topic(TimeStampedModel):
    """An interest tag that explorers choose and campaigns target."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:explorers_network_topic_change", args=[self.pk])


class ExplorerQuerySet(ScopedQuerySet):
    def in_countries(self, country_ids) -> "ExplorerQuerySet":
        # Explorers live anywhere, so `country` is an ISO code rather than a program Country.
        return self.filter(country__in=Country.objects.filter(pk__in=country_ids).values("code"))


class Explorer(TimeStampedModel):
    """A member of the Governance Explorers network. Personal data: staff only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    interests = models.ManyToManyField(Topic, blank=True, related_name="explorers", verbose_name=_("interests"))
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language, default=Language.ENGLISH
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_source = models.CharField(_("consent source"), max_length=100, blank=True)

    objects = ExplorerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("explorer")
        verbose_name_plural = _("explorers")
        indexes = [models.Index(fields=["status", "preferred_language"], name="explorer_status_language_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="explorer_email_unique_ci",
                violation_error_message=_("This email address is already in the network."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(confirmed_at__isnull=False),
                name="explorer_active_is_confirmed",
                violation_error_message=_("An active explorer must have confirmed their address."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:explorers_network_explorer_change", args=[self.pk])
