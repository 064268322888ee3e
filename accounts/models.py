"""Who a user is to the program: admin, program staff of some country teams, or a partner."""

from functools import cached_property

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import RecordedQuerySet


class RecordedUserManager(UserManager.from_queryset(RecordedQuerySet)):
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

    objects = RecordedUserManager()

    #: The history records that a password changed, never the hash; sign-ins are not changes.
    history_mask_fields = ("password",)
    history_exclude_fields = ("last_login",)

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
