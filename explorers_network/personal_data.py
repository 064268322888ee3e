"""What the network holds about a person: the explorer, their consent ledger, the contact requests they sent."""

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


def _contact_requests(subject):
    """Messages sent from the person's address, whatever kind of record they are."""
    condition = subject.email_q("email")
    return ContactRequest.objects.filter(condition) if condition is not None else ContactRequest.objects.none()


register(
    "explorers_network.ContactRequest",
    fields=(
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
    ),
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
