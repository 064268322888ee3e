"""The dashboard: what needs attention in the user's countries, in a fixed number of queries.

The page itself is what needs attention: five queries whatever the size of the data (the session,
the user, the user's teams with the explorer figures, commitments and follow-ups). Its secondary
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
from django.utils import timezone

from core.access import staff_required
from core.expressions import count_of
from core.versions import rendering_key, row_values
from explorers_network.models import Explorer

from ..models import Coalition, Commitment, Engagement, Membership, Outcome

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


def _cards_key(today: datetime.date, commitments: list, follow_ups: list) -> str:
    """The cache key of the dashboard's three cards: the day (what is overdue) and every row they show.

    Commitments with their coalitions and owners, follow-ups with their coalitions and initiatives;
    with `rendering_key`'s language, time zone and code, an edit anywhere is another key.
    """
    return rendering_key(
        "coalitions/dashboard_cards",
        today,
        [(row_values(c), row_values(c.coalition), row_values(c.owner)) for c in commitments],
        [(row_values(e), row_values(e.coalition), row_values(e.initiative)) for e in follow_ups],
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    teams, explorers = _teams_and_explorers(user, month_start)
    countries = None if teams is None else frozenset(country.pk for country in teams)
    unfinished = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    # As for engagements below: the first ids from the commitments table alone, then only those joined
    # (joining first made PostgreSQL hash all 50,000 stakeholders to keep 50 owners).
    due = _scoped(Commitment.objects, user, countries).filter(status__in=unfinished, due_on__lte=today + DUE_WITHIN)
    commitments = list(
        Commitment.objects.filter(pk__in=due.order_by("due_on", "pk").values("pk")[:MAX_ROWS])
        .select_related("coalition", "owner")
        .order_by("due_on", "pk")
    )
    follow_ups = list(
        _scoped(Engagement.objects, user, countries)
        .filter(follow_up_on__gte=today - FOLLOW_UP_LOOKBACK, follow_up_on__lte=today + DUE_WITHIN)
        .select_related("coalition", "initiative")
        .order_by("follow_up_on", "pk")[:MAX_ROWS]
    )
    context = {
        "today": today,
        "countries": teams,
        "overdue": [c for c in commitments if c.due_on < today],
        "due_soon": [c for c in commitments if c.due_on >= today],
        "follow_ups": follow_ups,
        # The three cards are kept in the cache under a key of every value they show (see _cards_key).
        "cards_key": _cards_key(today, commitments, follow_ups),
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
