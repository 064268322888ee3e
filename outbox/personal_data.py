"""Mails written to a person's address: each a copy of their name (and of whatever the mail said)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Delivery, Suppression
from .services import suppression_add


def _mails_to(subject):
    condition = subject.email_q("recipient")
    return Delivery.objects.filter(condition) if condition is not None else Delivery.objects.none()


def _never_mail_again(subject) -> None:
    """Only a hash of the address stays, so an erased address is not mailed until it joins and confirms again."""
    for address in subject.emails:
        suppression_add(address=address, reason=Suppression.Reason.ERASED)


register(
    "outbox.Delivery",
    fields=("recipient", "subject", "body_text", "body_html", "kind", "state", "created_at", "sent_at"),
    rows=_mails_to,
    description=_("Mails sent to the person's address"),
    on_erase=_never_mail_again,
)
