"""The consent texts explorers agree to. A new wording gets a new version; old ones stay for the ledger."""

from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS = {
    "2026-11": _(
        "I agree that the program stores my name, email address, country, organisation, role and interests "
        "to send me news and invitations of the Governance Explorers network. I can unsubscribe at any time "
        "with the link in every mail, and ask for my data to be exported or erased."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return str(CONSENT_TEXTS[version])
