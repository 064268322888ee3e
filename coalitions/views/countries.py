"""Country and region pages: where the program works and what happens there.

They live here rather than in `countries` because they show initiatives, coalitions and
stakeholders, which sit above `countries`.
"""

from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core.access import staff_required
from core.expressions import count_of
from core.short_tables import KEPT_TIMEOUT, query_text, table_version
from core.versions import rendering_key
from core.views import get_visible_or_404
from countries.models import Country, Region
from stakeholders.models import Stakeholder

from ..forms import RollupPeriodForm
from ..models import Coalition, Initiative
from ..rollup import ROLLUP_PAGE_SIZE, rollup_page


def _count(queryset, outer: str) -> Coalesce:
    """A correlated COUNT subquery: one query for the whole list, no row multiplication."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


#: Coalitions listed per page on a country's page: as many as a page of the country's roll-up.
COALITIONS_PAGE_SIZE = ROLLUP_PAGE_SIZE
#: The tables each kept panel shows (names, links, counts): a write to any of them drops its renderings.
PANEL_TABLES = {
    "coalitions": (Coalition, Initiative, Region),
    "regions": (Region, Initiative, Coalition, Stakeholder),
}


def _panel_key(request, name: str, country: Country, *querysets) -> str:
    """The cache key of a country panel's rendering: the versions of the tables it shows, the country,
    the user's scope as the queries say it (`visible_to`) and the query string its links keep."""
    return rendering_key(
        f"coalitions/country_{name}",
        table_version(*PANEL_TABLES[name]),
        country.pk,
        [query_text(queryset) for queryset in querysets],
        sorted(request.GET.lists()),
        bool(request.htmx),
    )


@staff_required
def country_list(request):
    countries = Country.objects.visible_to(request.user).annotate(
        initiative_count=_count(Initiative.objects.all(), "country"),
        coalition_count=_count(Coalition.objects.all(), "initiative__country"),
        stakeholder_count=_count(Stakeholder.objects.all(), "country"),
    )
    return render(request, "coalitions/country_list.html", {"countries": countries, "nav_section": "countries"})


@staff_required
def country_detail(request, code: str):
    """The country; its initiatives, coalitions, their health, its entry points and the regions worked
    in are panels the page loads after its first paint (htmx), each a page of its own too, so the
    page's cost does not grow with the country's work."""
    country = get_visible_or_404(Country.objects.all(), request.user, code=code.upper())
    context = {
        "country": country,
        "panels": PANELS,
        "can_edit": request.user.is_admin or country.pk in request.user.team_country_ids,
        "nav_section": "countries",
    }
    return render(request, "coalitions/country_detail.html", context)


def _initiatives(request, country: Country) -> dict:
    initiatives = (
        Initiative.objects.visible_to(request.user)
        .filter(country=country)
        .select_related("lead")
        .annotate(coalition_count=_count(Coalition.objects.all(), "initiative"))
    )
    return {"initiatives": initiatives}


def _coalitions(request, country: Country) -> dict:
    coalitions = (
        Coalition.objects.visible_to(request.user)
        .filter(initiative__country=country)
        .select_related("initiative", "parent")
        .prefetch_related("regions")
    )
    coalitions = coalitions.order_by("name", "pk")
    return {
        # A country has hundreds of coalitions: a page of them (by name), their roll-up a link away.
        # Read only when the kept rendering is missing (`panel_key`): the page's COUNT and sort grow
        # with the country's coalitions.
        "coalitions_page": SimpleLazyObject(
            lambda: Paginator(coalitions, COALITIONS_PAGE_SIZE).get_page(request.GET.get("page"))
        ),
        # In the panel, the pages are the country's page's (which loads the panel again with the page asked).
        "pages_url": country.get_absolute_url() if request.htmx else "",
        "panel_key": _panel_key(request, "coalitions", country, coalitions),
        "panel_timeout": KEPT_TIMEOUT,
    }


def _regions(request, country: Country) -> dict:
    # Regions "worked in": those named by an initiative, a coalition or a stakeholder's area of action.
    # Each an EXISTS per region, which stops at the first link: `pk IN (...)` joined every
    # stakeholder of the country to its regions first (22,000 rows, 60 ms in Colombia).
    named_by = (
        Initiative.regions.through.objects.filter(initiative__country=country),
        Coalition.regions.through.objects.filter(coalition__initiative__country=country),
        Stakeholder.regions.through.objects.filter(stakeholder__country=country),
    )
    regions = (
        Region.objects.filter(country=country)
        .filter(reduce(or_, (Exists(links.filter(region=OuterRef("pk"))) for links in named_by)))
        # COUNT of the column the index holds: an index-only scan, not a visit of each link's row.
        .annotate(
            stakeholder_count=count_of(Stakeholder.regions.through.objects.filter(region=OuterRef("pk")), "region_id")
        )
        .select_related("parent")
    )
    stakeholders = Stakeholder.objects.visible_to(request.user).filter(country=country)
    # Both counts grow with the country's stakeholders: read only when the kept rendering is missing
    # (`panel_key`), which the template counts through `stakeholders.count`.
    return {
        "regions": regions,
        "stakeholders": stakeholders,
        # The regions are the country's whoever asks; only the stakeholders' count is scoped.
        "panel_key": _panel_key(request, "regions", country, stakeholders),
        "panel_timeout": KEPT_TIMEOUT,
    }


#: The panels of a country's page, in the order it shows them: name, what the panel's view adds to
#: the context (the country's tags need nothing more), its heading, and when htmx loads it.
PANELS = {
    "initiatives": (_initiatives, _("Initiatives"), "load"),
    "coalitions": (_coalitions, _("Coalitions"), "load"),
    "health": (None, _("Coalition health"), "revealed"),
    "entry-points": (None, _("Entry points, best first"), "revealed"),
    "regions": (_regions, _("Regions worked in"), "revealed"),
}


@staff_required
def country_panel(request, code: str, panel: str):
    """A panel of the country's page, scoped as the page is: the bare panel for the page's htmx
    request, else a page of its own (without JavaScript, the page links to it)."""
    if panel not in PANELS:
        raise Http404
    country = get_visible_or_404(Country.objects.all(), request.user, code=code.upper())
    build, heading, _trigger = PANELS[panel]
    template = f"coalitions/includes/country_{panel.replace('-', '_')}.html"
    context = {"country": country, "heading": heading, **(build(request, country) if build else {})}
    if request.htmx:
        return render(request, template, context)
    return render(
        request, "coalitions/country_panel.html", {**context, "panel_template": template, "nav_section": "countries"}
    )


@staff_required
def country_rollup(request, code: str):
    """What the country's coalitions did in a period, side by side and in total."""
    country = get_visible_or_404(Country.objects.all(), request.user, code=code.upper())
    period_form = RollupPeriodForm(request.GET or None)
    # Hundreds of coalitions: a page of them side by side, the total of them all under it.
    figures, page = rollup_page(
        Coalition.objects.visible_to(request.user).filter(initiative__country=country),
        period_form.period(),
        request.GET.get("page"),
    )
    context = {
        "country": country,
        "period_form": period_form,
        "rollup": figures,
        "rollup_page": page,
        "nav_section": "countries",
    }
    return render(request, "coalitions/country_rollup.html", context)


@staff_required
def region_detail(request, pk: int):
    region = get_visible_or_404(Region.objects.select_related("country", "parent"), request.user, pk=pk)
    context = {
        "region": region,
        "children": region.children.all(),
        "coalitions": Coalition.objects.visible_to(request.user).filter(regions=region).select_related("initiative"),
        "stakeholder_count": Stakeholder.objects.visible_to(request.user).filter(regions=region).count(),
        "nav_section": "countries",
    }
    return render(request, "coalitions/region_detail.html", context)
