"""{% history_panel obj %}: the History panel of a record page, for staff only.

The panel costs the page no query: its changes load when it is opened (htmx), or on the
record's history page without JavaScript.
"""

from django import template
from django.db import models

from core.access import is_staff_member
from core.history.display import history_url
from core.history.recording import is_recorded

register = template.Library()


@register.inclusion_tag("core/includes/history_panel.html", takes_context=True)
def history_panel(context, obj) -> dict:
    user = getattr(context.get("request"), "user", None)
    show = isinstance(obj, models.Model) and obj.pk is not None and is_recorded(type(obj)) and is_staff_member(user)
    return {"show": show, "url": history_url(type(obj), obj.pk) if show else ""}


@register.simple_tag
def history_link(obj) -> str:
    """The URL of a record's history page (for records listed on another record's page)."""
    return history_url(type(obj), obj.pk)
