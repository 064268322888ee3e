"""Accounts' template tags: the saved-filters panel every list page shows beside its filters."""

from django import template

from core.access import is_staff_member

from ..forms import SavedFilterForm, filter_parameters, filter_query, saved_filter_page
from ..models import SavedFilter

register = template.Library()


@register.inclusion_tag("accounts/includes/saved_filters.html", takes_context=True)
def saved_filters_panel(context) -> dict:
    """Save this page's filters, and the filters saved for it (one's own and one's country team's), as links.

    Shown to program staff on a page whose context has a `filterset` (every list page, see
    CONTRIBUTING): the page's URL name and its FilterSet's parameters are signed into the form, so
    the saved query keeps only what that FilterSet reads.
    """
    request = context.get("request")
    filterset = context.get("filterset")
    match = getattr(request, "resolver_match", None)
    if filterset is None or match is None or not is_staff_member(request.user):
        return {"show": False}
    parameters = filter_parameters(filterset)
    query = filter_query(request.GET.urlencode(), parameters)
    form = SavedFilterForm(
        user=request.user, initial={"page": saved_filter_page(match.view_name, parameters), "query": query}
    )
    saved = SavedFilter.objects.visible_to(request.user).filter(path=match.view_name).select_related("owner")
    return {
        "show": True,
        "form": form,
        "saved_filters": saved,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }
