"""The dashboard: what needs attention in the user's countries, in a fixed number of queries."""

import datetime

from django.apps import apps
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.views import staff_required
from countries.models import Country

from ..models import Coalition, Commitment, Engagement, Outcome

#: How far ahead the dashboard looks for commitments and follow-ups coming due.
DUE_WITHIN = datetime.timedelta(days=14)
#: Follow-ups older than this are treated as history, not as work waiting.
FOLLOW_UP_LOOKBACK = datetime.timedelta(days=30)
LATEST = 10
MAX_ROWS = 50


def dashboard_countries(user) -> frozenset[int] | None:
    """Country ids the dashboard covers: the user's teams; None means every country.

    Admins, and staff not yet on a team, see every country.
    """
    if user.is_admin or not user.team_country_ids:
        return None
    return user.team_country_ids


def _scoped(queryset, user, countries):
    queryset = queryset.visible_to(user)
    return queryset if countries is None else queryset.in_countries(countries)


def _explorer_counts(user, countries, since: datetime.datetime) -> dict:
    """Explorers confirmed since the start of the month: in the whole network and in the user's countries."""
    explorer = apps.get_model("explorers_network", "Explorer")
    in_countries = Q()
    if countries is not None:
        in_countries = Q(country__in=Country.objects.filter(pk__in=countries).values("code"))
    return (
        explorer.objects.visible_to(user)
        .filter(confirmed_at__gte=since)
        .aggregate(network=Count("pk"), countries=Count("pk", filter=in_countries))
    )


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    countries = dashboard_countries(user)
    unfinished = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    commitments = list(
        _scoped(Commitment.objects, user, countries)
        .filter(status__in=unfinished, due_on__lte=today + DUE_WITHIN)
        .select_related("coalition", "owner")
        .order_by("due_on", "pk")[:MAX_ROWS]
    )
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    context = {
        "today": today,
        "countries": None if countries is None else Country.objects.filter(pk__in=countries),
        "coalitions": _scoped(Coalition.objects, user, countries)
        .filter(status__in=[Coalition.Status.FORMING, Coalition.Status.ACTIVE, Coalition.Status.SUSTAINING])
        .select_related("initiative__country")
        .annotate(members_active=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("initiative__country__name", "name")[:MAX_ROWS],
        "overdue": [c for c in commitments if c.due_on < today],
        "due_soon": [c for c in commitments if c.due_on >= today],
        "follow_ups": _scoped(Engagement.objects, user, countries)
        .filter(follow_up_on__gte=today - FOLLOW_UP_LOOKBACK, follow_up_on__lte=today + DUE_WITHIN)
        .select_related("coalition", "initiative")
        .order_by("follow_up_on", "pk")[:MAX_ROWS],
        "engagements": _scoped(Engagement.objects, user, countries)
        .filter(occurred_on__lte=today)
        .select_related("coalition", "initiative")
        .annotate(participant_count=Count("participants"))
        .order_by("-occurred_on", "-pk")[:LATEST],
        "outcomes": _scoped(Outcome.objects, user, countries).select_related("coalition")[:LATEST],
        "explorers": _explorer_counts(user, countries, month_start),
        "month_start": month_start,
    }
    return render(request, "coalitions/dashboard.html", context)
