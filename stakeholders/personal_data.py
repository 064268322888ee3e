"""What the directory holds about a person: a stakeholder's contact person."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register_subject

register_subject(
    "contact",
    "stakeholders.Contact",
    fields=(
        "name",
        "position",
        "email",
        "phone",
        "preferred_language",
        "consent_given_at",
        "consent_source",
        "created_at",
    ),
    description=_("The contact person's details"),
    select_related=("stakeholder",),
)
