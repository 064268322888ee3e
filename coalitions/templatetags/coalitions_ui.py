"""Template helpers of the coalitions pages."""

from django import template

register = template.Library()


@register.filter
def stance_class(stance: int | None) -> str:
    """CSS class of a stance's colour swatch (colours live in coalitions.css, not in style attributes)."""
    return "" if stance is None else f"stance-{int(stance)}"
