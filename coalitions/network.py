"""Which stakeholders and ties make a country's or an initiative's relationship network.

One function for the network page, its download and the monthly snapshots (`trends`), so the
figures kept over time are the figures the page shows. The graph, its figures and its drawing
are `stakeholders.network`'s; what belongs here is the scope: an initiative's network is made of
the actors assessed in it, coloured by their latest stance (this app's models).
"""

from django.core.cache import cache
from django.shortcuts import get_object_or_404

from core.parsing import parse_id
from core.versions import rendering_key, row_values
from countries.models import Country
from stakeholders.models import Relationship, Stakeholder
from stakeholders.network import Network, build_network

from .models import Assessment, Initiative

#: How long a computed network is kept: its key is everything it is computed from, so it never goes stale.
NETWORK_TIMEOUT = 24 * 60 * 60


def network_scope(*, user, params) -> tuple[Country | None, Initiative | None]:
    """The country and initiative whose network is shown, from the query string (`initiative` or
    `country`), else the user's first team; a scope out of the user's sight is a 404."""
    initiative = country = None
    initiative_id, country_id = parse_id(params.get("initiative")), parse_id(params.get("country"))
    if initiative_id:
        initiative = get_object_or_404(Initiative.objects.visible_to(user).select_related("country"), pk=initiative_id)
        country = initiative.country
    elif country_id:
        country = get_object_or_404(Country.objects.visible_to(user), pk=country_id)
    else:
        teams = sorted(user.team_country_ids)
        country = Country.objects.filter(pk__in=teams).first() or Country.objects.visible_to(user).first()
    return country, initiative


def _rows(model, user):
    """The rows the user may read; without a user (a periodic job, which has none), every row."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


def scope_network(
    *, country: Country | None, initiative: Initiative | None, user, colour_by: str | None = None, draw: bool = True
) -> tuple[str, Network]:
    """The colouring used and the network of the initiative (its assessed actors), else of the country.

    A country's network holds only the stakeholders with at least one tie there: dozens of
    isolated dots would hide it.
    """
    stances: dict[int, int] = {}
    if initiative:
        latest = _rows(Assessment, user).latest().filter(initiative=initiative)
        stances = dict(latest.values_list("stakeholder_id", "stance"))
        stakeholders = _rows(Stakeholder, user).filter(pk__in=latest.values("stakeholder"))
        relationships = _rows(Relationship, user).filter(
            source__in=latest.values("stakeholder"), target__in=latest.values("stakeholder")
        )
        colour_by = colour_by or "stance"
    else:
        relationships = _rows(Relationship, user).filter(source__country=country, target__country=country)
        stakeholders = _rows(Stakeholder, user).filter(country=country)
        stakeholders = stakeholders.filter(pk__in=relationships.values("source")) | stakeholders.filter(
            pk__in=relationships.values("target")
        )
        colour_by = "sector"
    actors = list(stakeholders.only("pk", "name", "acronym", "sector", "country_id"))
    ties = list(
        relationships.select_related("source", "target").only(
            "pk",
            "kind",
            "strength",
            "source_id",
            "target_id",
            "source__name",
            "source__acronym",
            "target__name",
            "target__acronym",
        )
    )
    # The layout and the figures (betweenness, groups) are most of the page's work: kept in the cache
    # under a key of every value they are computed from, so a changed actor, tie or stance is another key.
    key = rendering_key(
        "coalitions/network",
        colour_by,
        draw,
        sorted(stances.items()),
        [row_values(actor) for actor in actors],
        [(row_values(tie), row_values(tie.source), row_values(tie.target)) for tie in ties],
    )
    network = cache.get(key)
    if network is None:
        network = build_network(
            actors, ties, stances=stances, stance_labels=Assessment.Stance.choices, colour_by=colour_by, draw=draw
        )
        cache.set(key, network, NETWORK_TIMEOUT)
    return colour_by, network
