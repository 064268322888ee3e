"""In-app notifications for program staff, and which kinds each person wants in-app or by mail."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import RecordedQuerySet, TimeStampedModel

from . import messages


class Kind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up reminders")
    COMMITMENT_DUE = "commitment_due", _("Commitments due in 7 days")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Overdue commitments")
    CONTACT_REQUEST = "contact_request", _("New contact requests for my countries")
    PARTNER_WRITE = "partner_write", _("Partner changes through the API")
    DIGEST = "digest", _("Weekly digest")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """Something a staff member should know, once: the key makes a second run for the same event a no-op."""

    history_not_recorded = "what each user was told, written from events that are recorded"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    key = models.CharField(_("event key"), max_length=120)
    #: Which text of `notifications.messages` this is, written in the reader's language from `params`
    #: when shown or mailed; `title` holds the text of a notification written before (none since).
    message = models.CharField(_("message"), max_length=40, blank=True)
    params = models.JSONField(_("values"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                name="notification_once_per_event",
                violation_error_message=_("This notification was already created."),
            ),
        ]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        """The title in the active language."""
        return messages.title(self.message, self.params, self.title)

    @property
    def body_text(self) -> str:
        """The body in the active language (people's own words stay as they wrote them)."""
        return messages.body(self.message, self.params, self.body)

    def get_absolute_url(self) -> str:
        return self.url or reverse("notifications:list")


class Preference(TimeStampedModel):
    """Whether a user wants one kind of notification in the app and by mail (both on when no row exists)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    in_app = models.BooleanField(_("in the app"), default=True)
    by_email = models.BooleanField(_("by email"), default=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="preference_one_per_kind",
                violation_error_message=_("This user already has a preference for this kind."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:preferences")
