"""Staff notifications quoting a person: a new contact request names its sender and quotes the message."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register
from outbox.models import Delivery

from .models import Kind, Notification


def _contact_request_keys(subject) -> list[str]:
    # The key contact_request_notify gives each contact request's notification.
    return [f"contact-{pk}" for pk in subject.pks("explorers_network.ContactRequest")]


register(
    "notifications.Notification",
    fields=("title", "params", "body", "created_at"),
    rows=lambda subject: Notification.objects.filter(kind=Kind.CONTACT_REQUEST, key__in=_contact_request_keys(subject)),
    description=_("Staff notifications about the person's messages"),
)

register(
    "outbox.Delivery",
    fields=("subject", "body_text", "body_html", "kind", "created_at"),
    # The same notification mailed to staff (notify() names its period "<kind>:<key>").
    rows=lambda subject: Delivery.objects.filter(
        kind=Delivery.Kind.NOTIFICATION,
        period__in=[f"{Kind.CONTACT_REQUEST}:{key}"[:60] for key in _contact_request_keys(subject)],
    ),
    description=_("Staff notification mails about the person's messages"),
)
