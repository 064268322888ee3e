"""Public pages about the program's work: only what staff marked public, never people or assessments."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from coalitions.models import Coalition, Initiative
from countries.models import Country


def country_work(request, code: str):
    country = get_object_or_404(Country.objects.only("code", "name", "status", "summary"), code=code.upper())
    public_coalitions = (
        Coalition.objects.filter(is_public=True)
        .only("name", "level", "status", "shared_goal", "formed_on", "initiative_id")
        .annotate(members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .prefetch_related("regions")
    )
    initiatives = (
        Initiative.objects.filter(country=country, is_public=True)
        .only("name", "level", "phase", "shared_objective", "starts_on", "country_id")
        .prefetch_related("regions", Prefetch("coalitions", queryset=public_coalitions, to_attr="public_coalitions"))
    )
    return render(request, "website/country_work.html", {"country": country, "initiatives": initiatives})
