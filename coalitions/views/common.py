"""Small pieces the coalition views share."""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from ..forms import build_picker, initial_from_data


def count_of(queryset: QuerySet) -> Coalesce:
    """The number of rows of a correlated queryset (OuterRef), as an expression; 0 when none.

    Annotated on a sliced list, PostgreSQL evaluates it for the rows left after ORDER BY and
    LIMIT only, where `Count()` would group the whole joined table first.
    """
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


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
