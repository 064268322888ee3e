"""Small pieces the coalition views share."""

from django.db.models import QuerySet
from django.http import HttpRequest

from ..forms import build_picker, initial_from_data


def can_edit(queryset: QuerySet, user, obj) -> bool:
    """Whether to show edit links: the same rule `get_editable_or_403` enforces."""
    return queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists()


def picker_search_requested(request: HttpRequest) -> bool:
    """The form was sent by a picker's Search button (the no-JavaScript path), not by Save."""
    return request.method == "POST" and "_picker_search" in request.POST


def form_and_pickers(request: HttpRequest, form_class, picker_names, *, suggest=None, **form_kwargs):
    """Build the form for GET, POST, or a no-JavaScript picker search; return (form, pickers, searching).

    After a picker search the form is redisplayed with what was typed and without errors,
    because nothing was meant to be saved yet.
    """
    searching = picker_search_requested(request)
    if request.method == "POST" and not searching:
        form = form_class(request.POST, **form_kwargs)
    elif searching:
        initial = initial_from_data(form_class, request.POST)
        form = form_class(initial=initial, **form_kwargs)
    else:
        form = form_class(**form_kwargs)
    pickers = {
        name: build_picker(
            form,
            name,
            user=request.user,
            query=request.POST.get(f"{name}_q", "") if searching else "",
            suggest=suggest,
        )
        for name in picker_names
    }
    return form, pickers, searching
