"""What the network holds about a person: the explorer, their consent ledger, the contact requests they sent."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register, register_subject

from .models import ConsentEvent, ContactRequest

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
    fields=("name", "organisation", "country", "email", "message", "language", "created_at"),
    rows=_contact_requests,
    description=_("Messages sent through the contact form"),
)
