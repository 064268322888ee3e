"""Accounts' template tags: the saved-filters panel every list page shows beside its filters."""

from django import template

from core.access import is_staff_member

from ..forms import filter_parameters, saved_filters_panel_url

register = template.Library()


@register.inclusion_tag("accounts/includes/saved_filters_link.html", takes_context=True)
def saved_filters_panel(context, oob: bool = False) -> dict:
    """The place of the saved-filters panel (`accounts.views.savedfilter_panel`), which loads after the
    page's first paint, and a link to it for a browser without script.

    Shown to program staff on a page whose context has a `filterset` (every list page, see
    CONTRIBUTING): the page's URL name and its FilterSet's parameters are signed into the panel's URL,
    so the saved query keeps only what that FilterSet reads. `oob=True` is for a list's results that
    htmx swaps alone: the panel comes with them, for the filters they were drawn with.
    """
    request = context.get("request")
    filterset = context.get("filterset")
    match = getattr(request, "resolver_match", None)
    if filterset is None or match is None or not is_staff_member(request.user):
        return {"show": False}
    url = saved_filters_panel_url(match.view_name, filter_parameters(filterset), request.GET.urlencode())
    return {"show": True, "panel_url": url, "oob": oob}
