"""Formatting filters for money and shares, and `{% entry_points_for country %}` for the country page."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from ..models import EntryPoint

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount with thousands grouped for the active language, no decimals; a dash when missing."""
    if value is None or value == "":
        return "\u2013"
    return floatformat(value, "0g")


@register.filter
def percent(value) -> str:
    """A share (0.42) as a percentage (42 %); a dash when it cannot be computed."""
    if value is None or value == "":
        return "\u2013"
    return floatformat(Decimal(value) * 100, "0g") + " %"


@register.inclusion_tag("planning/includes/entry_points_for.html", takes_context=True)
def entry_points_for(context, country) -> dict:
    """The country's entry-point candidates, best first; staff only (nothing for anyone else)."""
    user = context["request"].user
    entry_points = (
        EntryPoint.objects.visible_to(user)
        .filter(country=country)
        .ranked()
        .select_related("initiative")
        .prefetch_related("regions")
    )
    return {"country": country, "entry_points": entry_points, "is_staff": user.is_authenticated and not user.is_partner}
