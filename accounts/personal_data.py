"""Invitations written to a person's address: a copy of it, until the person accepts and has an account."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Invitation


def _invitations_to(subject):
    condition = subject.email_q("email")
    return Invitation.objects.filter(condition) if condition is not None else Invitation.objects.none()


register(
    "accounts.Invitation",
    fields=("email", "status", "created_at", "expires_at"),
    rows=_invitations_to,
    description=_("Invitations to sign up sent to the person's address"),
)
