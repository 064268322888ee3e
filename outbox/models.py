"""The outbox: every outgoing mail is a row first, so nothing is lost and nothing is sent twice."""

import hashlib
from urllib.parse import urlparse

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import RecordedQuerySet, TimeStampedModel


def email_hash(address: str) -> str:
    """A stable hash of an address, so a suppression outlives the erasure of the address itself."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, now=None) -> "DeliveryQuerySet":
        """Rows a worker may take: pending and due, or sending with a lease that ran out, and in
        both cases below the attempt cap.

        The cap is here, where rows are claimed, and not only where a failure is recorded: a row
        that kills the worker sending it (so no failure is ever recorded) is claimed again after
        each lease expiry, and would take every row claimed with it down again, forever.
        """
        return self.due(now).filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)

    def due(self, now=None) -> "DeliveryQuerySet":
        """Pending and due, or sending with a lease that ran out, whatever the attempts so far."""
        now = now or timezone.now()
        return self.filter(
            Q(state=Delivery.State.PENDING, not_before__lte=now) | Q(state=Delivery.State.SENDING, lease_until__lt=now)
        )

    def progress(self) -> dict[str, int]:
        counts = dict.fromkeys(Delivery.State.values, 0)
        for row in self.values("state").annotate(n=models.Count("pk")).order_by():
            counts[row["state"]] = row["n"]
        counts["total"] = sum(counts[state] for state in Delivery.State.values)
        counts["remaining"] = counts[Delivery.State.PENDING] + counts[Delivery.State.SENDING]
        return counts


class Delivery(TimeStampedModel):
    """One mail to one address, written before it is sent; its state says how far it got."""

    history_not_recorded = "the queue of outgoing mail; its states are the sending machinery's"

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        OUTREACH = "outreach", _("Outreach campaign")
        TEST = "test", _("Test send")
        NOTIFICATION = "notification", _("Staff notification")
        DIGEST = "digest", _("Weekly digest")
        PASSWORD_RESET = "password_reset", _("Password reset")
        INVITATION = "invitation", _("Invitation")
        CONTACT_ACK = "contact_ack", _("Contact request received")
        CONTACT_REPLY = "contact_reply", _("Reply to a contact request")
        NETWORK_INVITATION = "network_invite", _("Invitation to the Explorers")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    #: Kinds an unsubscribe or an erasure stops; a bounce stops every kind.
    #: An invitation to the network is outreach too: never sent to an address that withdrew or was erased.
    OUTREACH_KINDS = (Kind.OUTREACH, Kind.NETWORK_INVITATION)

    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=5, default="en")
    kind = models.CharField(_("purpose"), max_length=20, choices=Kind)
    # An id, not a foreign key: the outbox sits below the apps that send campaigns.
    campaign_id = models.PositiveBigIntegerField(_("campaign"), null=True, blank=True)
    period = models.CharField(
        _("period"), max_length=60, blank=True, help_text=_("What this mail is about, e.g. 2026-W48 for a digest.")
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["state", "not_before"], name="delivery_state_due_idx"),
            models.Index(fields=["campaign_id", "state"], name="delivery_campaign_state_idx"),
            models.Index(fields=["recipient"], name="delivery_recipient_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "campaign_id"],
                condition=Q(campaign_id__isnull=False),
                name="delivery_once_per_campaign",
                violation_error_message=_("This address already has a mail of this campaign."),
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"],
                condition=Q(campaign_id__isnull=True),
                name="delivery_once_per_kind_period",
                violation_error_message=_("This address already has a mail of this kind for this period."),
            ),
            models.CheckConstraint(
                condition=~Q(state="sending") | Q(lease_until__isnull=False),
                name="delivery_sending_has_lease",
                violation_error_message=_("A mail being sent needs a lease."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("admin:outbox_delivery_change", args=[self.pk])

    @property
    def message_id(self) -> str:
        """Derived from the row, so a resend after a crash carries the same Message-ID and is recognisable."""
        domain = urlparse(settings.SITE_URL).hostname or "localhost"
        return f"<delivery-{self.pk}@{domain}>"


class Suppression(TimeStampedModel):
    """An address that must not be mailed, kept only as a hash so erasure can remove the address."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Permanent delivery failure")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        ERASED = "erased", _("Personal data erased")

    address_hash = models.CharField(_("address hash"), max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppression")
        verbose_name_plural = _("suppressions")
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "reason"],
                name="suppression_unique_reason",
                violation_error_message=_("This address is already suppressed for this reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"

    def get_absolute_url(self) -> str:
        return reverse("admin:outbox_suppression_change", args=[self.pk])
