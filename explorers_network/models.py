"""The Governance Explorers: a global network of people who join from a public page."""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import is_staff_member
from core.models import RecordedQuerySet, ScopedQuerySet, TimeStampedModel
from countries.models import Country
from countries.names import country_name_of_code

#: Every ISO country; the labels are read in the reader's language (`get_country_display`). A form
#: that offers them uses `countries.names.country_choices`, sorted in that language.
COUNTRY_CHOICES = sorted(
    ((c.alpha_2, country_name_of_code(c.alpha_2)) for c in pycountry.countries), key=lambda choice: str(choice[1])
)


class Topic(TimeStampedModel):
    """An interest tag that explorers choose and campaigns target."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = RecordedQuerySet.as_manager()

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

    def country_pks_of(self, objs: list) -> list[int | None]:
        codes = {obj.country for obj in objs if obj.country}
        pks = dict(Country.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
        return [pks.get(obj.country) for obj in objs]

    def consenting(self) -> "ExplorerQuerySet":
        """Explorers the ledger lets the program mail now, whatever their `status` column says.

        Consent was given, then the address was confirmed, and since that confirmation neither
        has consent been withdrawn nor the address changed. Events are ordered by time, then id.
        """
        Action = ConsentEvent.Action

        def after(ref: str) -> models.Q:
            return models.Q(occurred_at__gt=OuterRef(f"{ref}occurred_at")) | models.Q(
                occurred_at=OuterRef(f"{ref}occurred_at"), pk__gt=OuterRef(f"{ref}pk")
            )

        undone = ConsentEvent.objects.filter(
            after(""), explorer_id=OuterRef("explorer_id"), action__in=[Action.WITHDRAW, Action.EMAIL_CHANGED]
        )
        granted = ConsentEvent.objects.filter(
            explorer_id=OuterRef("explorer_id"), action=Action.GRANT, occurred_at__lte=OuterRef("occurred_at")
        )
        confirmed = ConsentEvent.objects.filter(explorer_id=OuterRef("pk"), action=Action.CONFIRM)
        return self.filter(Exists(confirmed.filter(Exists(granted)).exclude(Exists(undone))))


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
    # The nonce inside the confirmation link; cleared on confirmation, so each link works once.
    confirmation_nonce = models.CharField(_("confirmation nonce"), max_length=32, blank=True, editable=False)

    objects = ExplorerQuerySet.as_manager()

    #: The nonce is a one-time credential inside a mailed link: never copied into the history.
    history_exclude_fields = ("confirmation_nonce",)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("explorer")
        verbose_name_plural = _("explorers")
        indexes = [
            models.Index(fields=["status", "preferred_language"], name="explorer_status_language_idx"),
            # The dashboard counts the explorers confirmed this month, in the network and per country:
            # a range of the index, whatever the size of the network.
            models.Index(fields=["confirmed_at"], name="explorer_confirmed_idx"),
            models.Index(fields=["country", "confirmed_at"], name="explorer_country_confirmed_idx"),
        ]
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
        return reverse("explorers_network:explorer_detail", args=[self.pk])


class ConsentEvent(models.Model):
    """One grant, confirmation or withdrawal of consent; insert-only, the explorer's status derives from it."""

    history_not_recorded = "the consent ledger: insert-only, it is its own history"

    class Action(models.TextChoices):
        GRANT = "grant", _("Consent given")
        CONFIRM = "confirm", _("Address confirmed")
        WITHDRAW = "withdraw", _("Consent withdrawn")
        EMAIL_CHANGED = "email", _("Address changed, to be confirmed again")

    class Source(models.TextChoices):
        JOIN_FORM = "join_form", _("Join form")
        CONFIRMATION_LINK = "confirmation_link", _("Confirmation link")
        UNSUBSCRIBE_PAGE = "unsubscribe_page", _("Unsubscribe page")
        ONE_CLICK = "one_click", _("One-click unsubscribe (mail client)")
        STAFF = "staff", _("Recorded by staff")

    explorer = models.ForeignKey(
        Explorer, on_delete=models.CASCADE, related_name="consent_events", verbose_name=_("explorer")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    text_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    text = models.TextField(_("consent text as shown"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    source = models.CharField(_("how"), max_length=20, choices=Source)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["explorer", "occurred_at", "pk"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="grant") | ~models.Q(text_version=""),
                name="consent_grant_has_text_version",
                violation_error_message=_("A consent grant must name the text version agreed to."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Consent events are insert-only.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("explorers_network:explorer_detail", args=[self.explorer_id])

    @staticmethod
    def status_after(actions: list[str]) -> str:
        """The explorer's status implied by the ledger: the last confirmation or withdrawal wins."""
        status = Explorer.Status.PENDING
        for action in actions:
            if action == ConsentEvent.Action.CONFIRM:
                status = Explorer.Status.ACTIVE
            elif action == ConsentEvent.Action.WITHDRAW:
                status = Explorer.Status.UNSUBSCRIBED
            elif (action, status) in {
                (ConsentEvent.Action.GRANT, Explorer.Status.UNSUBSCRIBED),
                (ConsentEvent.Action.EMAIL_CHANGED, Explorer.Status.ACTIVE),
            }:
                status = Explorer.Status.PENDING
        return status


class CampaignQuerySet(ScopedQuerySet):
    """Staff read every campaign; a country team sends only those whose whole audience is in its countries."""

    def in_countries(self, country_ids) -> "CampaignQuerySet":
        # Containment in a JSON list has no lookup SQLite and PostgreSQL share, and campaigns are
        # few (one row per mailing), so the audiences are compared here. An audience of every
        # country (an empty list) is no one team's: only admins send it.
        codes = set(Country.objects.filter(pk__in=country_ids).values_list("code", flat=True))
        within = [
            pk for pk, audience in self.values_list("pk", "audience_countries") if audience and set(audience) <= codes
        ]
        return self.filter(pk__in=within)

    def country_pks_of(self, objs: list) -> list[int | None]:
        """The program country of a campaign for one country, for the team's activity feed."""
        codes = {code for obj in objs for code in obj.audience_countries or ()}
        pks = dict(Country.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
        return [pks.get(obj.audience_countries[0]) if len(obj.audience_countries or ()) == 1 else None for obj in objs]


class Campaign(TimeStampedModel):
    """A mail to the active explorers of an audience: written in Markdown, sent now or at a set time."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Markdown: **bold**, *italic*, [links](https://…), lists."))
    language = models.CharField(_("language"), max_length=5, choices=Explorer.Language, default="en")
    audience_countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("Leave empty for every country.")
    )
    audience_interests = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="campaigns",
        verbose_name=_("interests"),
        help_text=_("Explorers with any of these interests; leave empty for everyone."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("created by"),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(scheduled_for__isnull=False),
                name="campaign_scheduled_has_time",
                violation_error_message=_("A scheduled campaign needs a date and time."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("explorers_network:campaign_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.SCHEDULED}

    @property
    def is_scheduled_later(self) -> bool:
        """Waiting for a time still to come (a campaign sent now is queued, not scheduled)."""
        return (
            self.state == self.State.SCHEDULED
            and self.scheduled_for is not None
            and self.scheduled_for > timezone.now()
        )

    @property
    def state_label(self) -> str:
        """The state as people read it: a campaign sent now is "Sending" from the click on."""
        if self.state == self.State.SCHEDULED and not self.is_scheduled_later:
            return self.State.SENDING.label
        return self.get_state_display()

    def audience(self) -> ExplorerQuerySet:
        """Active explorers who read the campaign's language, in its countries and interests."""
        return audience_for(
            language=self.language,
            countries=self.audience_countries,
            interest_ids=[topic.pk for topic in self.audience_interests.all()],
        )


def audience_for(*, language: str, countries: list[str], interest_ids: list[int]) -> ExplorerQuerySet:
    """Only explorers active by their status and by the ledger: no other path reaches an unconfirmed person."""
    explorers = Explorer.objects.filter(status=Explorer.Status.ACTIVE, preferred_language=language).consenting()
    if countries:
        explorers = explorers.filter(country__in=countries)
    if interest_ids:
        chose = Explorer.interests.through.objects.filter(topic_id__in=interest_ids).values("explorer_id")
        explorers = explorers.filter(pk__in=chose)
    return explorers


def team_country_codes() -> models.QuerySet:
    """The codes of the countries some active staff member's team covers."""
    return Country.objects.filter(team_members__is_active=True, team_members__role="staff").values("code")


class ContactRequestQuerySet(ScopedQuerySet):
    """Staff read every request; the team of its country works on it, and every team on a request
    from a country no team covers (someone must answer it, as every staff member was notified)."""

    def in_countries(self, country_ids) -> "ContactRequestQuerySet":
        codes = Country.objects.filter(pk__in=country_ids).values("code")
        return self.filter(models.Q(country__in=codes) | ~models.Q(country__in=team_country_codes()))

    def country_pks_of(self, objs: list) -> list[int | None]:
        codes = {obj.country for obj in objs if obj.country}
        pks = dict(Country.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
        return [pks.get(obj.country) for obj in objs]


class ContactRequest(TimeStampedModel):
    """A message from the public contact form: a work item for the staff of its country (or all staff)."""

    class Status(models.TextChoices):
        # A context of their own: "New" or "Closed" agree in gender with what they describe in Spanish.
        NEW = "new", pgettext_lazy("contact request status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("contact request status", "In progress")
        ANSWERED = "answered", pgettext_lazy("contact request status", "Answered")
        CLOSED = "closed", pgettext_lazy("contact request status", "Closed")

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    email = models.EmailField(_("email"))
    message = models.TextField(_("message"), max_length=5000)
    # The language of the page the message was sent from: the acknowledgement and replies use it.
    language = models.CharField(_("language"), max_length=5, choices=Explorer.Language, default="en")
    # A keyed hash of the sender's IP: enough to rate-limit, useless to identify anyone.
    ip_hash = models.CharField(_("IP hash"), max_length=64, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("owner"),
        help_text=_("The staff member who answers it: one of the team of the request's country."),
    )
    reply_draft = models.TextField(
        _("reply"),
        max_length=5000,
        blank=True,
        help_text=_("Mailed to the sender, in their language, once you confirm sending it."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="contact_requests",
        verbose_name=_("stakeholder"),
        help_text=_("The stakeholder made from this request."),
    )
    invited_at = models.DateTimeField(_("invited to the Explorers at"), null=True, blank=True, editable=False)
    # Set once staff have been told (notifications.services): a request whose task a broker outage
    # dropped is still unset, so beat's sweep tells them then.
    staff_notified_at = models.DateTimeField(_("staff notified at"), null=True, blank=True, editable=False)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="contactrequest_status_idx"),
            models.Index(fields=["owner", "status"], name="contactrequest_owner_idx"),
            models.Index(fields=["country", "status"], name="contactrequest_country_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    def get_absolute_url(self) -> str:
        return reverse("explorers_network:contact_detail", args=[self.pk])

    def may_be_owned_by(self, user) -> bool:
        """Staff of the request's country team (any staff when no team covers it), or an admin."""
        if not is_staff_member(user):
            return False
        if user.is_admin or not team_country_codes().filter(code=self.country).exists():
            return True
        return user.country_teams.filter(code=self.country).exists()

    def owners_among(self, users: models.QuerySet) -> models.QuerySet:
        """`users` (staff accounts) narrowed to those `may_be_owned_by` accepts, in one query."""
        if not team_country_codes().filter(code=self.country).exists():
            return users
        team = models.Q(is_superuser=True) | models.Q(role="admin") | models.Q(country_teams__code=self.country)
        return users.filter(pk__in=users.filter(team).values("pk"))

    def clean(self) -> None:
        if self.owner_id and not self.may_be_owned_by(self.owner):
            raise ValidationError({"owner": _("The owner must be on the staff of the request's country team.")})


class ContactRequestNoteQuerySet(ScopedQuerySet):
    """The thread follows its request: read by all staff, written by the request's team."""

    def in_countries(self, country_ids) -> "ContactRequestNoteQuerySet":
        return self.filter(contact_request__in=ContactRequest.objects.in_countries(country_ids))

    def country_pks_of(self, objs: list) -> list[int | None]:
        requests = ContactRequest.objects.filter(pk__in={obj.contact_request_id for obj in objs}).only("country")
        by_pk = {request.pk: request for request in requests}
        pks = ContactRequest.objects.country_pks_of(list(by_pk.values()))
        country = dict(zip(by_pk, pks, strict=True))
        return [country.get(obj.contact_request_id) for obj in objs]


class ContactRequestNote(TimeStampedModel):
    """One entry of a contact request's thread: a note staff keep to themselves, or a reply mailed to the sender."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Internal note")
        REPLY = "reply", _("Reply mailed to the sender")

    contact_request = models.ForeignKey(
        ContactRequest, on_delete=models.CASCADE, related_name="notes", verbose_name=_("contact request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.NOTE, editable=False)
    body = models.TextField(_("note"), max_length=5000)

    objects = ContactRequestNoteQuerySet.as_manager()

    class Meta:
        ordering = ["contact_request", "created_at", "pk"]
        verbose_name = _("contact request note")
        verbose_name_plural = _("contact request notes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contact_request}"

    def get_absolute_url(self) -> str:
        return self.contact_request.get_absolute_url()
