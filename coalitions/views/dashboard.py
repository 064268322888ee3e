"""The dashboard: what needs attention in the user's countries, in a fixed number of queries.

The page itself is what needs attention: five queries whatever the size of the data (the session,
the user, the user's teams with the explorer figures, commitments and follow-ups), three once its
cards are kept under the versions of the tables they read and show (`_kept_cards`). Its secondary
panels are pages of their own that the dashboard loads after its first paint (htmx), each a link
without script, as the coalition health table (`trends`) already was: the active coalitions
(`dashboard_coalitions`, four queries) and the latest engagements and outcomes
(`dashboard_latest`, five). Counts per row (members, participants) are correlated subqueries,
which PostgreSQL evaluates only for the rows left after ORDER BY and LIMIT, never grouped over
the whole table.
"""

import datetime

from django.db.models import Count, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.access import staff_required
from core.expressions import count_of
from core.short_tables import kept_drawing, query_text
from core.versions import rendering_key, row_values
from explorers_network.models import Explorer
from stakeholders.models import Stakeholder

from ..models import Coalition, Commitment, Engagement, Initiative, Membership, Outcome

#: How far ahead the dashboard looks for commitments and follow-ups coming due.
DUE_WITHIN = datetime.timedelta(days=14)
#: Follow-ups older than this are treated as history, not as work waiting.
FOLLOW_UP_LOOKBACK = datetime.timedelta(days=30)
LATEST = 10
MAX_ROWS = 50


def _scoped(queryset, user, countries):
    queryset = queryset.visible_to(user)
    return queryset if countries is None else queryset.in_countries(countries)


def _teams_and_explorers(user, since: datetime.datetime) -> tuple[list | None, dict]:
    """The countries the dashboard covers (None: every country) and the explorers confirmed since `since`.

    Admins, and staff not yet on a team, see every country. The user's teams come with the
    explorer figures in one query: each row carries the network's count and its own.
    """
    explorers = Explorer.objects.visible_to(user).filter(confirmed_at__gte=since)
    teams = None
    if not user.is_admin:
        teams = list(
            user.country_teams.order_by("name").annotate(
                explorers_network=count_of(explorers),
                explorers_here=count_of(explorers.filter(country=OuterRef("code"))),
            )
        )
    if not teams:
        return None, explorers.aggregate(network=Count("pk"))
    return teams, {
        "network": teams[0].explorers_network,
        "countries": sum(country.explorers_here for country in teams),
    }


def _countries(user) -> frozenset | None:
    """The countries the dashboard covers, as `_teams_and_explorers` decides, for its panels (one query)."""
    if user.is_admin:
        return None
    return frozenset(user.country_teams.values_list("pk", flat=True)) or None


#: The tables the cards show besides those their queries read: the commitments' coalitions and owners,
#: the follow-ups' coalitions and initiatives.
CARDS_TABLES = (Commitment, Engagement, Coalition, Initiative, Stakeholder)


def _card_rows(due, upcoming, today: datetime.date) -> dict:
    """The commitments overdue and due soon, and the follow-ups due, as the cards show them."""
    # As for engagements below: the first ids from the commitments table alone, then only those joined
    # (joining first made PostgreSQL hash all 50,000 stakeholders to keep 50 owners).
    commitments = list(
        Commitment.objects.filter(pk__in=due.order_by("due_on", "pk").values("pk")[:MAX_ROWS])
        .select_related("coalition", "owner")
        .order_by("due_on", "pk")
    )
    return {
        "today": today,
        "overdue": [c for c in commitments if c.due_on < today],
        "due_soon": [c for c in commitments if c.due_on >= today],
        "follow_ups": list(
            upcoming.select_related("coalition", "initiative").order_by("follow_up_on", "pk")[:MAX_ROWS]
        ),
    }


def _kept_cards(request: HttpRequest, due, upcoming, today: datetime.date, rows) -> str:
    """The three cards, kept under the versions of the tables their queries read and they show, which
    every write drops (core.short_tables), and the day (what is overdue).

    The key names both queries (the reader's scope as `visible_to` wrote it), so a reader finds the
    cards without reading a row. Queries that read a table without a version are drawn each time."""

    def draw() -> str:
        return render_to_string("coalitions/includes/dashboard_cards.html", dict(rows), request=request)

    sql = "\n".join((query_text(due), query_text(upcoming)))
    return kept_drawing("coalitions/dashboard_cards", sql, CARDS_TABLES, draw, today)


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    teams, explorers = _teams_and_explorers(user, month_start)
    countries = None if teams is None else frozenset(country.pk for country in teams)
    unfinished = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    due = _scoped(Commitment.objects, user, countries).filter(status__in=unfinished, due_on__lte=today + DUE_WITHIN)
    upcoming = _scoped(Engagement.objects, user, countries).filter(
        follow_up_on__gte=today - FOLLOW_UP_LOOKBACK, follow_up_on__lte=today + DUE_WITHIN
    )
    # Read only when the kept cards are missing (or a test looks at them).
    rows = SimpleLazyObject(lambda: _card_rows(due, upcoming, today))
    context = {
        "today": today,
        "countries": teams,
        "overdue": SimpleLazyObject(lambda: rows["overdue"]),
        "due_soon": SimpleLazyObject(lambda: rows["due_soon"]),
        "follow_ups": SimpleLazyObject(lambda: rows["follow_ups"]),
        "cards": _kept_cards(request, due, upcoming, today, rows),
        "explorers": explorers,
        "month_start": month_start,
    }
    return render(request, "coalitions/dashboard.html", context)


def _panel(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """A dashboard panel: the bare panel for the dashboard's htmx request, else a page of its own."""
    if request.htmx:
        return render(request, f"coalitions/includes/dashboard_{name}.html", context)
    return render(request, f"coalitions/dashboard_{name}.html", {**context, "nav_section": "dashboard"})


@staff_required
def dashboard_coalitions(request: HttpRequest) -> HttpResponse:
    """The active coalitions of the user's countries with their current members: a dashboard panel."""
    user = request.user
    open_members = Membership.objects.filter(coalition=OuterRef("pk"), left_on__isnull=True)
    coalitions = list(
        _scoped(Coalition.objects, user, _countries(user))
        .filter(status__in=[Coalition.Status.FORMING, Coalition.Status.ACTIVE, Coalition.Status.SUSTAINING])
        .select_related("initiative__country")
        .annotate(members_active=count_of(open_members))
        .order_by("initiative__country__name", "name")[:MAX_ROWS]
    )
    # The table is kept in the cache under a key of every value it shows, members' counts included.
    rows_key = rendering_key(
        "coalitions/dashboard_coalitions",
        [
            (row_values(c), c.members_active, row_values(c.initiative), row_values(c.initiative.country))
            for c in coalitions
        ],
    )
    return _panel(request, "coalitions", {"coalitions": coalitions, "rows_key": rows_key})


@staff_required
def dashboard_latest(request: HttpRequest) -> HttpResponse:
    """The latest engagements (with their participants' count) and outcomes of the user's countries: a panel."""
    user = request.user
    countries = _countries(user)
    participants = Engagement.participants.through.objects.filter(engagement=OuterRef("pk"))
    latest_engagements = (
        _scoped(Engagement.objects, user, countries)
        .filter(occurred_on__lte=timezone.localdate())
        .order_by("-occurred_on", "-pk")
    )
    context = {
        # The latest ids are picked from the engagements table alone, then only those rows are joined.
        "engagements": Engagement.objects.filter(pk__in=latest_engagements.values("pk")[:LATEST])
        .select_related("coalition", "initiative")
        .annotate(participant_count=count_of(participants))
        .order_by("-occurred_on", "-pk"),
        "outcomes": _scoped(Outcome.objects, user, countries).select_related("coalition")[:LATEST],
    }
    return _panel(request, "latest", context)
