"""The public site's navigation, shown on every public page (also those of `explorers_network`)."""

from django import template
from django.urls import reverse

from ..views import program_countries

register = template.Library()


@register.inclusion_tag("website/includes/public_nav.html", takes_context=True)
def public_nav(context: template.Context) -> dict:
    """What the program does, its countries, getting in touch and joining: one query for the countries."""
    request = context.get("request")
    path = request.path if request else ""
    countries = [
        (country, reverse("website:country_work", kwargs={"code": country.code.lower()}))
        for country in program_countries()
    ]
    return {"path": path, "countries": countries, "user": context.get("user")}
