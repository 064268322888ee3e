"""The relationship network of a country's or an initiative's stakeholders.

The page lives here, not in `stakeholders`, because an initiative's network is drawn from the
actors assessed in it and coloured by their latest stance (coalitions' models); the graph and
its drawing stay in `stakeholders.network`.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import staff_required
from core.svg import svg_download
from stakeholders.models import Relationship
from stakeholders.network import EDGE_STYLES

from ..network import network_colour, network_key, network_scope, scope_network


def _choices(request):
    """The scope and the colouring asked for (the page and its download alike)."""
    country, initiative = network_scope(user=request.user, params=request.GET)
    colour = request.GET.get("colour") if request.GET.get("colour") in ("sector", "stance") else None
    return country, initiative, network_colour(initiative=initiative, colour_by=colour)


def _network(request):
    """The scope, colouring and network shown."""
    country, initiative, colour_by = _choices(request)
    colour_by, network = scope_network(country=country, initiative=initiative, user=request.user, colour_by=colour_by)
    return country, initiative, colour_by, network


@staff_required
def relationship_network(request):
    user = request.user
    country, initiative, colour_by = _choices(request)
    context = {
        # Read (from the cache, else computed) only when the page's kept rendering of it is not found: a kept
        # network of a few hundred actors and ties costs more to unpickle than its rendering to read.
        "network": SimpleLazyObject(
            lambda: scope_network(country=country, initiative=initiative, user=user, colour_by=colour_by)[1]
        ),
        "network_key": network_key(country=country, initiative=initiative, user=user, colour_by=colour_by),
        "country": country,
        "initiative": initiative,
        "colour_by": colour_by,
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
