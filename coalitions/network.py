"""Which stakeholders and ties make a country's or an initiative's relationship network.

One function for the network page, its download and the monthly snapshots (`trends`), so the
figures kept over time are the figures the page shows. The graph, its figures and its drawing
are `stakeholders.network`'s; what belongs here is the scope: an initiative's network is made of
the actors assessed in it, coloured by their latest stance (this app's models).
"""

from django.shortcuts import get_object_or_404

from core.access import is_staff_member
from core.parsing import parse_id
from core.short_tables import kept, table_version
from core.versions import rendering_key
from countries.models import Country
from stakeholders.models import Relationship, Stakeholder
from stakeholders.network import Network, build_network

from .models import Assessment, Initiative

#: How long a computed network is kept: every write to what it is computed from changes its key.
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


def network_colour(*, initiative: Initiative | None, colour_by: str | None) -> str:
    """What the nodes are coloured by: an initiative's by stance unless asked otherwise, a country's by sector."""
    return (colour_by or "stance") if initiative else "sector"


def network_key(
    *, country: Country | None, initiative: Initiative | None, user, colour_by: str | None = None, draw: bool = True
) -> str:
    """The cache key of a scope's network and of what is rendered from it (the page's figures table).

    Made of the versions of the assessments', stakeholders' and relationships' tables (core.short_tables),
    which every write to them changes (`update()` too), rather than of the rows: a kept network is found
    without reading its actors and ties. Staff and the periodic jobs read every row; anyone else, their own.
    """
    scope = "all" if user is None or is_staff_member(user) else f"user:{user.pk}"
    return rendering_key(
        "coalitions/network",
        table_version(Assessment, Stakeholder, Relationship),
        scope,
        country.pk if country else None,
        initiative.pk if initiative else None,
        network_colour(initiative=initiative, colour_by=colour_by),
        draw,
    )


def scope_network(
    *, country: Country | None, initiative: Initiative | None, user, colour_by: str | None = None, draw: bool = True
) -> tuple[str, Network]:
    """The colouring used and the network of the initiative (its assessed actors), else of the country.

    A country's network holds only the stakeholders with at least one tie there: dozens of
    isolated dots would hide it. The layout and the figures (betweenness, groups) are most of the
    page's work: kept in the cache under `network_key`. The figures without the drawing are the
    monthly snapshots', read once a month per network: built, not kept (keeping a country's network
    costs more than building its figures).
    """
    colour_by = network_colour(initiative=initiative, colour_by=colour_by)
    if not draw:
        return colour_by, _build(country=country, initiative=initiative, user=user, colour_by=colour_by, draw=False)
    key = network_key(country=country, initiative=initiative, user=user, colour_by=colour_by, draw=draw)
    network = kept(
        key,
        lambda: _build(country=country, initiative=initiative, user=user, colour_by=colour_by, draw=True),
        timeout=NETWORK_TIMEOUT,
    )
    return colour_by, network


def _build(*, country, initiative, user, colour_by: str, draw: bool) -> Network:
    stances: dict[int, int] = {}
    if initiative:
        latest = _rows(Assessment, user).latest().filter(initiative=initiative)
        stances = dict(latest.values_list("stakeholder_id", "stance"))
        stakeholders = _rows(Stakeholder, user).filter(pk__in=latest.values("stakeholder"))
        relationships = _rows(Relationship, user).filter(
            source__in=latest.values("stakeholder"), target__in=latest.values("stakeholder")
        )
    else:
        relationships = _rows(Relationship, user).filter(source__country=country, target__country=country)
        stakeholders = _rows(Stakeholder, user).filter(country=country)
        stakeholders = stakeholders.filter(pk__in=relationships.values("source")) | stakeholders.filter(
            pk__in=relationships.values("target")
        )
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
    return build_network(
        actors, ties, stances=stances, stance_labels=Assessment.Stance.choices, colour_by=colour_by, draw=draw
    )
