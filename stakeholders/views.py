"""Staff pages for stakeholders: the directory, a stakeholder's page, the forms and the network."""

import csv

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.svg import STANCE_COLOURS, Series, colour_for, time_chart
from core.views import get_editable_or_403, get_visible_or_404, staff_required
from countries.models import Country, Region

from .filters import StakeholderFilterSet
from .forms import ContactForm, RelationshipForm, StakeholderForm
from .models import Contact, Relationship, Stakeholder
from .network import EDGE_STYLES, build_network

PAGE_SIZE = 50

#: The directory's sort options: the query value and the ordering it stands for.
SORTS = {
    "name": ("name", "pk"),
    "country": ("country__name", "name", "pk"),
    "sector": ("sector", "name", "pk"),
    "level": ("level", "name", "pk"),
    "updated": ("updated_at", "pk"),
}


def _model(label: str):
    # coalitions sits above this app: resolve its models lazily, not by import.
    return apps.get_model(label)


def _ordering(sort: str) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        return SORTS["name"]
    if sort.startswith("-"):
        return tuple(f"-{field}" if field != "pk" else "-pk" for field in SORTS[key])
    return SORTS[key]


def _filtered(request) -> tuple[StakeholderFilterSet, object]:
    """The API's FilterSet, built the same way (with the request), and its rows in the chosen order."""
    filterset = StakeholderFilterSet(
        request.GET,
        queryset=Stakeholder.objects.visible_to(request.user).select_related("country", "organisation"),
        request=request,
    )
    return filterset, filterset.qs.order_by(*_ordering(request.GET.get("sort", "name")))


def _with_labels(stakeholders):
    """The CSV export's rows (with their prefetched `region_list`) with their translated labels."""
    rows = list(stakeholders)
    for row in rows:
        row.sector_label = row.get_sector_display()
        row.level_label = row.get_level_display()
        row.kind_label = row.get_kind_display()
    return rows


def _with_regions(queryset):
    # A list per row rather than a related manager per row; no join to order by country.
    return queryset.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name", "pk").only("pk", "name"), to_attr="region_list")
    )


@staff_required
def stakeholder_list(request):
    # With HTMX, filters, sort and pages swap only the results: the filter form stays as it is.
    template = "stakeholders/includes/directory_results.html" if request.htmx else "stakeholders/stakeholder_list.html"
    filterset, queryset = _filtered(request)
    page = Paginator(_with_regions(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "stakeholders": page.object_list,
        # Like the coalition list: staff see the button, and the form itself needs a country team.
        "can_create": request.user.is_admin or request.user.is_program_staff,
        "nav_section": "stakeholders",
    }
    return render(request, template, context)


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is read as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_required
def stakeholder_export(request):
    """The directory's filtered list as CSV, same filters and order as on the page."""
    queryset = _with_regions(_filtered(request)[1])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="stakeholders-{stamp}.csv"'
    response.write("\ufeff")  # a BOM, so spreadsheet programs read the accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Id"),
            _("Name"),
            _("Acronym"),
            _("Kind"),
            _("Sector"),
            _("Level"),
            _("Country"),
            _("Regions"),
            _("Organisation"),
            _("Website"),
            _("Updated"),
        ]
    )
    for stakeholder in _with_labels(queryset):
        writer.writerow(
            _csv_cell(value)
            for value in (
                stakeholder.pk,
                stakeholder.name,
                stakeholder.acronym,
                stakeholder.kind_label,
                stakeholder.sector_label,
                stakeholder.level_label,
                stakeholder.country.name,
                "; ".join(region.name for region in stakeholder.region_list),
                stakeholder.organisation.name if stakeholder.organisation else "",
                stakeholder.website,
                timezone.localtime(stakeholder.updated_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return response


def _assessment_chart(assessments) -> object:
    """Stance over time, one line per initiative."""
    by_initiative: dict[int, list] = {}
    for assessment in assessments:
        by_initiative.setdefault(assessment.initiative_id, []).append(assessment)
    series = [
        Series(
            label=rows[0].initiative.name,
            colour=colour_for(index),
            points=[(row.assessed_on, row.stance) for row in rows],
        )
        for index, rows in enumerate(by_initiative.values())
    ]
    labels = dict(_model("coalitions.Assessment").Stance.choices)
    return time_chart(
        series,
        y_min=-2,
        y_max=2,
        y_labels={value: str(label) for value, label in labels.items()},
        title=_("Stance over time"),
    ), [(line.colour, line.label) for line in series]


@staff_required
def stakeholder_detail(request, pk: int):
    user = request.user
    stakeholder = get_visible_or_404(
        Stakeholder.objects.select_related("country", "organisation").prefetch_related("regions"), user, pk=pk
    )
    Membership, Assessment, Engagement = (
        _model("coalitions.Membership"),
        _model("coalitions.Assessment"),
        _model("coalitions.Engagement"),
    )
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(stakeholder=stakeholder)
        .select_related("initiative", "assessed_by")
        .order_by("initiative__name", "assessed_on")
    )
    chart, chart_legend = _assessment_chart(assessments)
    relationships = Relationship.objects.visible_to(user).select_related("source__country", "target__country")
    context = {
        "stakeholder": stakeholder,
        "can_edit": Stakeholder.objects.editable_by(user).filter(pk=stakeholder.pk).exists(),
        "contacts": Contact.objects.visible_to(user).filter(stakeholder=stakeholder),
        "people": stakeholder.people.all(),
        "memberships": Membership.objects.visible_to(user)
        .filter(stakeholder=stakeholder)
        .select_related("coalition__initiative")
        .order_by("left_on", "-joined_on"),
        "assessments": sorted(assessments, key=lambda a: a.assessed_on, reverse=True),
        "chart": chart,
        "chart_legend": chart_legend,
        "relationships_out": relationships.filter(source=stakeholder),
        "relationships_in": relationships.filter(target=stakeholder),
        "engagements": Engagement.objects.visible_to(user)
        .filter(participants=stakeholder)
        .select_related("coalition", "initiative")
        .prefetch_related(Prefetch("participants", queryset=Stakeholder.objects.only("pk", "name", "acronym")))
        .order_by("-occurred_on", "-pk")[:50],
        "nav_section": "stakeholders",
    }
    return render(request, "stakeholders/stakeholder_detail.html", context)


def _form_page(request, form, *, title: str, cancel_url: str, stakeholder=None):
    context = {"form": form, "title": title, "cancel_url": cancel_url, "stakeholder": stakeholder}
    context["nav_section"] = "stakeholders"
    return render(request, "stakeholders/form.html", context, status=400 if form.is_bound else 200)


@staff_required
def stakeholder_create(request):
    if not Country.objects.editable_by(request.user).exists():
        return render(request, "403.html", status=403)
    initial = {"country": request.GET.get("country")}
    form = StakeholderForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        with transaction.atomic():
            stakeholder = form.save()
        messages.success(request, _("Stakeholder “%(name)s” added.") % {"name": stakeholder.name})
        return redirect(stakeholder)
    return _form_page(request, form, title=_("Add a stakeholder"), cancel_url=reverse("stakeholders:stakeholder_list"))


@staff_required
def stakeholder_edit(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = StakeholderForm(request.POST or None, instance=stakeholder, user=request.user)
    if form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Changes saved."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def contact_create(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=Contact(stakeholder=stakeholder))
    if form.is_valid():
        form.save()
        messages.success(request, _("Contact added."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Add a contact to %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def contact_edit(request, pk: int):
    contact = get_editable_or_403(Contact.objects.select_related("stakeholder"), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(contact.stakeholder)
    return _form_page(
        request,
        form,
        title=_("Edit contact %(name)s") % {"name": contact.name},
        cancel_url=contact.stakeholder.get_absolute_url(),
        stakeholder=contact.stakeholder,
    )


@staff_required
@require_POST
def contact_delete(request, pk: int):
    contact = get_editable_or_403(Contact.objects.select_related("stakeholder"), request.user, pk=pk)
    contact.delete()
    messages.success(request, _("Contact removed."))
    return redirect(contact.stakeholder)


@staff_required
def relationship_create(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = RelationshipForm(request.POST or None, source=stakeholder, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Relationship added."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Add a relationship from %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def relationship_edit(request, pk: int):
    relationship = get_editable_or_403(Relationship.objects.select_related("source", "target"), request.user, pk=pk)
    form = RelationshipForm(request.POST or None, instance=relationship, source=relationship.source, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(relationship.source)
    return _form_page(
        request,
        form,
        title=_("Edit relationship"),
        cancel_url=relationship.source.get_absolute_url(),
        stakeholder=relationship.source,
    )


@staff_required
@require_POST
def relationship_delete(request, pk: int):
    relationship = get_editable_or_403(Relationship.objects.select_related("source"), request.user, pk=pk)
    relationship.delete()
    messages.success(request, _("Relationship removed."))
    return redirect(relationship.source)


def _network_scope(request):
    """The country or initiative whose network is shown, from the query string, else the user's team."""
    user = request.user
    Initiative = _model("coalitions.Initiative")
    initiative = country = None
    if request.GET.get("initiative", "").isdigit():
        initiative = get_object_or_404(
            Initiative.objects.visible_to(user).select_related("country"), pk=request.GET["initiative"]
        )
        country = initiative.country
    elif request.GET.get("country", "").isdigit():
        country = get_object_or_404(Country.objects.visible_to(user), pk=request.GET["country"])
    else:
        teams = sorted(user.team_country_ids)
        country = Country.objects.filter(pk__in=teams).first() or Country.objects.visible_to(user).first()
    return country, initiative


@staff_required
def relationship_network(request):
    user = request.user
    country, initiative = _network_scope(request)
    Assessment, Initiative = _model("coalitions.Assessment"), _model("coalitions.Initiative")
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
        colour_by=colour_by,
    )
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
        "stance_colours": STANCE_COLOURS,
        "nav_section": "relationships",
    }
    return render(request, "stakeholders/relationship_network.html", context)
