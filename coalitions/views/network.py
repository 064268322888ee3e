"""The relationship network of a country's or an initiative's stakeholders.

The page lives here, not in `stakeholders`, because an initiative's network is drawn from the
actors assessed in it and coloured by their latest stance (coalitions' models); the graph and
its drawing stay in `stakeholders.network`.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import staff_required
from core.parsing import parse_id
from core.svg import svg_download
from countries.models import Country
from stakeholders.models import Relationship, Stakeholder
from stakeholders.network import EDGE_STYLES, build_network

from ..models import Assessment, Initiative


def _network_scope(request):
    """The country or initiative whose network is shown, from the query string, else the user's team."""
    user = request.user
    initiative = country = None
    initiative_id, country_id = parse_id(request.GET.get("initiative")), parse_id(request.GET.get("country"))
    if initiative_id:
        initiative = get_object_or_404(Initiative.objects.visible_to(user).select_related("country"), pk=initiative_id)
        country = initiative.country
    elif country_id:
        country = get_object_or_404(Country.objects.visible_to(user), pk=country_id)
    else:
        teams = sorted(user.team_country_ids)
        country = Country.objects.filter(pk__in=teams).first() or Country.objects.visible_to(user).first()
    return country, initiative


def _network(request):
    """The scope, colouring and network shown (the page and its download alike)."""
    user = request.user
    country, initiative = _network_scope(request)
    colour_by = request.GET.get("colour") if request.GET.get("colour") in ("sector", "stance") else None
    stances: dict[int, int] = {}
    if initiative:
        latest = Assessment.objects.visible_to(user).latest().filter(initiative=initiative)
        stances = dict(latest.values_list("stakeholder_id", "stance"))
        stakeholders = Stakeholder.objects.visible_to(user).filter(pk__in=latest.values("stakeholder"))
        relationships = Relationship.objects.visible_to(user).filter(
            source__in=latest.values("stakeholder"), target__in=latest.values("stakeholder")
        )
        colour_by = colour_by or "stance"
    else:
        # Only stakeholders with at least one tie: dozens of isolated dots would hide the network.
        relationships = Relationship.objects.visible_to(user).filter(source__country=country, target__country=country)
        stakeholders = Stakeholder.objects.visible_to(user).filter(country=country)
        stakeholders = stakeholders.filter(pk__in=relationships.values("source")) | stakeholders.filter(
            pk__in=relationships.values("target")
        )
        colour_by = "sector"
    network = build_network(
        list(stakeholders.only("pk", "name", "acronym", "sector", "country_id")),
        list(
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
        ),
        stances=stances,
        stance_labels=Assessment.Stance.choices,
        colour_by=colour_by,
    )
    return country, initiative, colour_by, network


@staff_required
def relationship_network(request):
    user = request.user
    country, initiative, colour_by, network = _network(request)
    context = {
        "network": network,
        "country": country,
        "initiative": initiative,
        "colour_by": colour_by,
        "countries": Country.objects.visible_to(user),
        "initiatives": Initiative.objects.visible_to(user).select_related("country"),
        "edge_legend": [
            (colour, dash, label) for kind, label in Relationship.Kind.choices for colour, dash in [EDGE_STYLES[kind]]
        ],
        "nav_section": "relationships",
        "network_svg_url": reverse("coalitions:relationship_network_svg")
        + "?"
        + urlencode({"initiative": initiative.pk} if initiative else {"country": country.pk} if country else {})
        + (f"&colour={colour_by}" if colour_by else ""),
    }
    return render(request, "coalitions/relationship_network.html", context)


@staff_required
def relationship_network_svg(request):
    """The drawn network as an .svg file, with the same choices as the page, for slides and print."""
    country, initiative, _colour_by, network = _network(request)
    if not network.svg:
        raise Http404
    scope = initiative.name if initiative else country.name if country else ""
    name = slugify(_("relationship network") + " " + scope) or "network"
    return svg_download(network.svg, f"{name}.svg")
