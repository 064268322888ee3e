"""The downloads of the outreach lists (`core.exports.Table`): the explorers and the contact requests
staff see, with the list pages' filters. They are for mailing and follow-up, not for import: explorers
join and consent through the public pages only."""

from core.exports import Table

from .filters import ContactRequestFilterSet, ExplorerFilterSet
from .models import ContactRequest, Explorer

TABLES = {
    "explorers": Table(
        Explorer,
        ExplorerFilterSet,
        ("name", "email", "country", "organisation", "role", "preferred_language", "status", "confirmed_at"),
    ),
    "contact-requests": Table(
        ContactRequest,
        ContactRequestFilterSet,
        ("name", "organisation", "country", "email", "language", "status", "owner", "message"),
        ("owner",),
    ),
}
