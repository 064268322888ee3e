"""Who a user is to the program: admin, program staff of some country teams, or a partner."""

import datetime
from functools import cached_property

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import FieldCheckConstraint, RecordedQuerySet, ScopedQuerySet, TimeStampedModel


class UserQuerySet(RecordedQuerySet):
    #: Kept API tokens are filed under this table's version (core.api.authentication): every write to a
    #: user (deactivated, a new role) drops it (core.short_tables).
    versioned_table = True


class RecordedUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager, whose bulk writes are recorded in the history too."""


class User(AbstractUser):
    """A person who signs in: program staff, a partner organisation's user, or an admin.

    `is_staff` keeps Django's meaning (may open the admin site); the program role is `role`.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Program staff")
        PARTNER = "partner", _("Partner")

    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.STAFF)
    country_teams = models.ManyToManyField(
        "countries.Country",
        blank=True,
        related_name="team_members",
        verbose_name=_("country teams"),
        help_text=_("Staff may change records of these countries."),
    )
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_users",
        verbose_name=_("partner organisation"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("en", _("English")), ("es", _("Spanish"))], default="en"
    )

    two_factor_epoch = models.PositiveIntegerField(
        _("two-step sign-in changes"),
        default=0,
        editable=False,
        help_text=_(
            "Counts changes of the user's second-factor devices; a session verified before a change asks again."
        ),
    )

    objects = RecordedUserManager()

    #: The history records that a password changed, never the hash; sign-ins are not changes. The
    #: second-factor counter is bookkeeping (the reset itself is recorded, with who and why).
    history_mask_fields = ("password",)
    history_exclude_fields = ("last_login", "two_factor_epoch")
    # Changes recorded on the user that are not its columns (accounts.services.two_factor_reset).
    history_labels = {
        "two_factor_devices": _("two-step sign-in devices"),
        "two_factor_reset_reason": _("why two-step sign-in was reset"),
    }

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="partner", organisation__isnull=False) | (~Q(role="partner") & Q(organisation=None)),
                name="user_partner_has_organisation",
                violation_error_message=_("A partner user needs an organisation, and only partners have one."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return f"/admin/accounts/user/{self.pk}/change/"

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_program_staff(self) -> bool:
        return self.role == self.Role.STAFF and not self.is_superuser

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER and not self.is_superuser

    @cached_property
    def team_country_ids(self) -> frozenset[int]:
        return frozenset(self.country_teams.values_list("pk", flat=True))


class SignInFailure(AccessAttempt):
    """Failed sign-ins of one account from one address and browser: django-axes' row, shown to admins."""

    history_not_recorded = "django-axes' log of failed sign-ins, shown to admins as it is"

    class Meta:
        proxy = True
        ordering = ["-attempt_time"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username or '-'} @ {self.ip_address or '-'}"

    def get_absolute_url(self) -> str:
        return f"/admin/accounts/signinfailure/{self.pk}/change/"


def signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


class ApiTokenQuerySet(ScopedQuerySet):
    """A token is its owner's alone: no one else sees it on a page, admins see every one in the admin."""

    country_lookups = ()
    #: Tokens are kept in the cache under this table's version (core.api.authentication): a revoked or
    #: changed token is read again (core.short_tables).
    versioned_table = True

    def owned_by(self, user) -> "ApiTokenQuerySet":
        """The tokens of the signed-in user: what the tokens page lists, for admins too."""
        return self.filter(user=user) if signed_in(user) else self.none()

    def visible_to(self, user) -> "ApiTokenQuerySet":
        if signed_in(user) and user.is_admin:
            return self.all()
        return self.owned_by(user)

    def editable_by(self, user) -> "ApiTokenQuerySet":
        return self.visible_to(user)


class ApiToken(TimeStampedModel):
    """An API token: only the hash of its secret is stored, with the first characters to find it by.

    knox's token model (`KNOX_TOKEN_MODEL`), with a name, an expiry and the time of last use. A
    revoked token is deleted (the history keeps that it existed); an expired one is kept, and
    refused, so its owner sees why a script stopped.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    token_key = models.CharField(_("prefix"), max_length=25, db_index=True)
    digest = models.CharField(_("hash"), max_length=128, unique=True)
    expiry = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    #: The hash finds the token; the time of last use is not a change anyone made.
    history_exclude_fields = ("digest", "last_used_at")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="apitoken_unique_name_per_user",
                violation_error_message=_("You already have a token with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    def get_absolute_url(self) -> str:
        return reverse("accounts:token_list")

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expiry is not None and self.expiry <= (now or timezone.now())


class InvitationQuerySet(ScopedQuerySet):
    """Staff see and change the invitations into their countries; partners none."""

    country_lookups = ("country", "organisation__country")

    def visible_to(self, user) -> "InvitationQuerySet":
        return self.editable_by(user)

    def pending(self) -> "InvitationQuerySet":
        return self.filter(status=Invitation.Status.PENDING)


class Invitation(TimeStampedModel):
    """An invitation by mail to a new user: a colleague into a country team, or a person of a partner
    organisation. Its link is signed, expires, and works once; a resend makes the old link stop working."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Program staff")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    email = models.EmailField(_("email"), max_length=254)
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.PARTNER)
    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country team"),
        help_text=_("For a colleague: the country team they join."),
    )
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
        help_text=_("For a person of a partner organisation: the organisation they work for."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("en", _("English")), ("es", _("Spanish"))],
        default="en",
        help_text=_("The language of the mail, and of the new account."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
        help_text=_("The account made when the invitation was accepted."),
    )
    #: Part of the signed link; a new one on each send, so only the newest link works.
    nonce = models.CharField(max_length=64, blank=True)

    objects = InvitationQuerySet.as_manager()

    history_exclude_fields = ("nonce",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["status", "expires_at"], name="invitation_status_idx")]
        constraints = [
            # A partner joins an organisation, a colleague a country team (and an invitation is one of the two).
            FieldCheckConstraint(
                condition=~Q(role="partner") | Q(organisation__isnull=False, country=None),
                name="invitation_partner_into_an_organisation",
                field="organisation",
                violation_error_message=_("Choose the organisation the person works for."),
            ),
            FieldCheckConstraint(
                condition=Q(role="partner") | Q(role="staff", organisation=None, country__isnull=False),
                name="invitation_colleague_into_a_country_team",
                field="country",
                violation_error_message=_("Choose the country team your colleague joins."),
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_email",
                violation_error_message=_("This address already has a pending invitation: resend it instead."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:invitation_list")

    def clean(self) -> None:
        # Another table: the database cannot hold it. An accepted invitation made that account.
        pending = self.status == self.Status.PENDING and self.email
        if pending and User.objects.filter(email__iexact=self.email).exists():
            raise ValidationError({"email": _("An account with this address exists already.")})

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_open(self) -> bool:
        """Pending and not expired: its newest link can still be accepted."""
        return self.status == self.Status.PENDING and not self.is_expired()


class OwnedQuerySet(ScopedQuerySet):
    """Rows a user keeps under a name (a saved filter, an import profile): the owner's, and, when shared
    with a country team, that team's staff's to read and use too; only the owner changes them."""

    country_lookups = ("shared_with_country",)

    def visible_to(self, user) -> "OwnedQuerySet":
        if not signed_in(user):
            return self.none()
        if user.is_partner:  # a partner belongs to no country team
            return self.filter(owner=user)
        return self.filter(Q(owner=user) | Q(shared_with_country__in=user.country_teams.all()))

    def editable_by(self, user) -> "OwnedQuerySet":
        return self.filter(owner=user) if signed_in(user) else self.none()


def shared_with_own_team(row, message) -> None:
    """The rule of every row `OwnedQuerySet` scopes: it is shared only with a country team its owner is in."""
    shared, owner = row.shared_with_country_id, row.owner_id
    if shared and owner and shared not in row.owner.team_country_ids:
        raise ValidationError({"shared_with_country": message})


class SavedFilter(TimeStampedModel):
    """A list page's filters kept under a name: a link back to the same rows, for its owner or their country team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    path = models.CharField(_("list page"), max_length=100, help_text=_("The list page's URL name."))
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    shared_with_country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with the country team"),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "path", "name"],
                name="savedfilter_unique_name_per_page",
                violation_error_message=_("You already saved a filter with this name on this page."),
            ),
        ]
        indexes = [models.Index(fields=["path", "shared_with_country"], name="savedfilter_page_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse(self.path)
        return f"{url}?{self.query}" if self.query else url

    def clean(self) -> None:
        super().clean()
        shared_with_own_team(self, _("You can share a filter only with a country team you belong to."))
