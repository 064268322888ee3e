"""The coalition health comparison, for the pages of the apps below this one (the dashboard and
the country pages live in coalitions)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ..health import health_rows

register = template.Library()


@register.inclusion_tag("trends/includes/coalition_health_table.html", takes_context=True)
def coalition_health_table(context, countries=None) -> dict:
    """The coalitions of `countries` (a country, a list of them, or None for all) by health, with trends."""
    if countries is not None and not isinstance(countries, list | tuple | set | frozenset):
        countries = [countries]
    return {"rows": health_rows(user=context["request"].user, countries=countries)}


@register.inclusion_tag("trends/includes/report_link.html")
def report_link(scope: str, key, period=None) -> dict:
    """A link to the period report of a coalition, initiative or country (for the roll-up pages below this app),
    for the roll-up's period when given."""
    query = urlencode({"start": period.start, "end": period.end}) if period is not None else ""
    return {"url": reverse("trends:period_report", kwargs={"scope": scope, "key": key}), "query": query}
