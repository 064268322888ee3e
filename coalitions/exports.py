"""The downloads of the coalition records, one declaration per table (`core.exports.Table`), written by
`core.exports.table_rows` and `table_response`; each imports back through coalitions/importers.py."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from core.exports import Table, table_rows

from .filters import (
    CoalitionFilterSet,
    CommitmentFilterSet,
    EngagementFilterSet,
    InitiativeFilterSet,
    MembershipFilterSet,
    OutcomeFilterSet,
)
from .models import Coalition, Commitment, Engagement, Initiative, Membership, Outcome

__all__ = ["DOWNLOADS", "TABLES", "table_rows"]


TABLES = {
    "initiatives": Table(
        Initiative,
        InitiativeFilterSet,
        (
            "name",
            "country",
            "level",
            "phase",
            "starts_on",
            "ends_on",
            "lead",
            "is_public",
            "shared_objective",
            "shared_objective_es",
        ),
        ("country", "lead"),
    ),
    "coalitions": Table(
        Coalition,
        CoalitionFilterSet,
        ("name", "initiative", "level", "status", "parent", "formed_on", "is_public", "shared_goal", "shared_goal_es"),
        ("initiative__country", "parent"),
        (
            (
                "members_active",
                gettext_lazy("Active members"),
                Count("memberships", filter=Q(memberships__left_on__isnull=True)),
            ),
        ),
    ),
    "memberships": Table(
        Membership,
        MembershipFilterSet,
        ("coalition", "stakeholder", "role", "joined_on", "left_on"),
        ("coalition", "stakeholder"),
    ),
    "engagements": Table(
        Engagement,
        EngagementFilterSet,
        (
            "occurred_on",
            "kind",
            "title",
            "coalition",
            "initiative",
            "summary",
            "agreements",
            "follow_up_on",
            "follow_up",
        ),
        ("coalition", "initiative"),
    ),
    "commitments": Table(
        Commitment,
        CommitmentFilterSet,
        ("coalition", "owner", "description", "due_on", "status", "evidence"),
        ("coalition", "owner"),
    ),
    "outcomes": Table(
        Outcome,
        OutcomeFilterSet,
        ("coalition", "observed_on", "change_type", "description", "significance", "contribution"),
        ("coalition",),
    ),
}

#: The records of coalitions offered for download on the coalition list and on a coalition's page.
DOWNLOADS = (
    ("memberships", gettext_lazy("Memberships")),
    ("engagements", gettext_lazy("Engagements")),
    ("commitments", gettext_lazy("Commitments")),
    ("outcomes", gettext_lazy("Outcomes")),
)
