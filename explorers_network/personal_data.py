"""What the network holds about a person: the explorer, their consent ledger, the contact requests they sent
and the staff notes and replies on them."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register, register_subject

from .models import ConsentEvent, ContactRequest, ContactRequestNote

register_subject(
    "explorer",
    "explorers_network.Explorer",
    fields=(
        "name",
        "email",
        "country",
        "organisation",
        "role",
        "interests",
        "preferred_language",
        "status",
        "confirmed_at",
        "consent_text_version",
        "consent_given_at",
        "consent_source",
        "created_at",
    ),
    description=_("The explorer's profile"),
)

register(
    "explorers_network.ConsentEvent",
    fields=("action", "text_version", "text", "language", "source", "occurred_at"),
    rows=lambda subject: (
        ConsentEvent.objects.filter(explorer_id=subject.pk)
        if subject.kind.name == "explorer"
        else ConsentEvent.objects.none()
    ),
    description=_("Each consent given, confirmed or withdrawn"),
)


CONTACT_REQUEST_FIELDS = (
    "name",
    "organisation",
    "country",
    "email",
    "message",
    "language",
    "status",
    "reply_draft",
    "answered_at",
    "invited_at",
    "created_at",
)

# Most people who write through the contact form are neither explorers nor contact persons: the
# sender of a request is a person who may ask for their data too (the form's notice says so).
register_subject(
    "sender",
    "explorers_network.ContactRequest",
    fields=CONTACT_REQUEST_FIELDS,
    description=_("The message the person sent"),
    search_fields=("name", "email", "organisation"),
)


def _contact_requests(subject):
    """Messages sent from the person's address, whatever kind of record they are (a sender's own
    message is the record above, so only their other messages are here)."""
    condition = subject.email_q("email")
    if condition is None:
        return ContactRequest.objects.none()
    requests = ContactRequest.objects.filter(condition)
    return requests.exclude(pk=subject.pk) if subject.kind.name == "sender" else requests


register(
    "explorers_network.ContactRequest",
    fields=CONTACT_REQUEST_FIELDS,
    rows=_contact_requests,
    description=_("Messages sent through the contact form"),
)

register(
    "explorers_network.ContactRequestNote",
    fields=("kind", "body", "created_at"),
    # Staff notes about the person's messages and the replies mailed to them: they go with the messages.
    rows=lambda subject: ContactRequestNote.objects.filter(
        contact_request_id__in=subject.pks("explorers_network.ContactRequest")
    ),
    description=_("Staff notes on the person's messages, and the replies sent to them"),
)
