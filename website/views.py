"""The public site: what the program does, its work in each country, getting in touch and joining.

Only what staff marked public (each model's `public()`), never people (contacts, explorers, a
person who is a member) or assessments.
"""

from django.db.models import OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from accounts.views import home_url
from coalitions.models import Coalition, Initiative, LearningNote, Membership, Outcome
from core.expressions import count_of
from countries.models import Country

#: The program's own words for each country it works in (shared/seed), in the visitor's language.
#: A country without a line here is described by its `summary`.
COUNTRY_INTROS = {
    "CO": _(
        "We are supporting coalition-building around the government's Energy Communities initiative at the "
        "national level, and multistakeholder coalitions for action at the local level in the departments of "
        "La Guajira and Cesar."
    ),
    "PE": _(
        "With partners we are exploring a new model of subnational governance that makes better use of public "
        "resources, particularly mining revenue, in implementing regional development plans, starting in the "
        "regions of Moquegua and Cajamarca."
    ),
    "PH": _(
        "An analysis of entry points is underway, to identify how we can add value in addressing critical "
        "governance challenges."
    ),
}

#: How many published outcomes the home page shows.
HOME_OUTCOMES = 3


def program_countries():
    """The countries the program works in (not those where its work has closed), for the public pages."""
    return Country.objects.exclude(status=Country.Status.CLOSED).only("code", "name", "status", "summary", "summary_es")


def home(request: HttpRequest) -> HttpResponse:
    """The public home; a signed-in user is sent on to their own landing page."""
    if request.user.is_authenticated:
        return redirect(home_url(request.user))
    countries = program_countries().annotate(
        public_coalitions=count_of(Coalition.objects.public().filter(initiative__country=OuterRef("pk")))
    )
    for country in countries:
        country.intro = COUNTRY_INTROS.get(country.code)
    outcomes = (
        Outcome.objects.public()
        .select_related("coalition__initiative__country")
        .only(
            "description",
            "change_type",
            "observed_on",
            "coalition__name",
            "coalition__initiative__country__code",
            "coalition__initiative__country__name",
        )[:HOME_OUTCOMES]
    )
    return render(request, "website/home.html", {"countries": countries, "outcomes": outcomes})


def about(request: HttpRequest) -> HttpResponse:
    """What the program does and how it works: site text, no rows."""
    return render(request, "website/about.html", {"countries": program_countries()})


def country_work(request: HttpRequest, code: str) -> HttpResponse:
    """A country's public initiatives, their public coalitions with member organisations and published
    outcomes, and the learning notes staff published: a constant number of queries."""
    country = get_object_or_404(program_countries(), code=code.upper())
    members = (
        Membership.objects.public()
        .select_related("stakeholder")
        .only("coalition_id", "stakeholder__name", "stakeholder__acronym")
        .order_by("stakeholder__name", "pk")
    )
    outcomes = Outcome.objects.public().only(
        "coalition_id", "description", "change_type", "observed_on", "significance", "contribution"
    )
    coalitions = (
        Coalition.objects.public()
        .only("name", "level", "status", "shared_goal", "shared_goal_es", "formed_on", "initiative_id")
        .prefetch_related(
            "regions",
            Prefetch("memberships", queryset=members, to_attr="public_members"),
            Prefetch("outcomes", queryset=outcomes, to_attr="public_outcomes"),
        )
    )
    initiatives = (
        Initiative.objects.public()
        .filter(country=country)
        .only("name", "level", "phase", "shared_objective", "shared_objective_es", "starts_on", "country_id")
        .prefetch_related("regions", Prefetch("coalitions", queryset=coalitions, to_attr="public_coalitions"))
    )
    notes = (
        LearningNote.objects.public()
        .in_countries([country.pk])
        .select_related("coalition", "initiative")
        .only("title", "body", "created_at", "coalition__name", "initiative__name")
    )
    return render(
        request,
        "website/country_work.html",
        {
            "country": country,
            "intro": COUNTRY_INTROS.get(country.code),
            "initiatives": initiatives,
            "notes": notes,
        },
    )
