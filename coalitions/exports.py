"""The downloads of the coalition records, one declaration per table, through `core.exports.table_response`.

Each table names the model fields it writes (a relation as the related row's name, a choice as its
label in the active language, a date in ISO form), headed by the fields' verbose names; the rows are
the user's (`visible_to`), with the filters of the table's FilterSet (the API's and the list page's).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .filters import (
    CoalitionFilterSet,
    CommitmentFilterSet,
    EngagementFilterSet,
    MembershipFilterSet,
    OutcomeFilterSet,
)
from .models import Coalition, Commitment, Engagement, Membership, Outcome


@dataclass(frozen=True)
class Table:
    model: type
    filterset: type
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()
    #: Annotations written after the fields: (name, header, expression).
    extra: tuple = ()


TABLES = {
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


def table_rows(table: Table, request) -> tuple[list[str], object]:
    """The header and the rows of one table for the request's user and filters (ValidationError
    when a filter's value is not valid)."""
    model = table.model
    queryset = model.objects.visible_to(request.user).select_related(*table.related).order_by("pk")
    if table.extra:
        queryset = queryset.annotate(**{name: expression for name, _header, expression in table.extra})
    filterset = table.filterset(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():  # a filter's bad value is an error, not a download of every row
        raise ValidationError(
            [f"{name}: {message}" for name, messages in filterset.errors.items() for message in messages]
        )
    queryset = filterset.qs
    fields = [model._meta.get_field(name) for name in table.fields]
    header = [
        _("Id"),
        *(str(field.verbose_name).capitalize() for field in fields),
        *(str(header) for _name, header, _expression in table.extra),
    ]
    yes, no = _("Yes"), _("No")

    def cell(row, field):
        if field.choices:
            return getattr(row, f"get_{field.name}_display")()
        value = getattr(row, field.name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, datetime.date):
            return value.isoformat()
        if field.is_relation:
            return str(value)
        return value

    rows = (
        [row.pk, *(cell(row, field) for field in fields), *(getattr(row, name) for name, *_rest in table.extra)]
        for row in queryset
    )
    return header, rows
