"""Getting one row for a user: out of sight is a 404, in sight but not theirs to change is a 403."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may see it; a 404 exactly like a missing id otherwise."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_editable_or_403(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may change it; 404 when out of sight, 403 when only readable."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def staff_required(view):
    """Staff pages: anonymous users go to the login page; partners get a 403 pointing to the API.

    Partners work through the API (their own coalitions only); these pages show everything a
    program staff member may read, so a partner who signs in here is told where to go instead.
    """
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_admin or user.is_program_staff):
            return render(request, "registration/staff_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _reads_history(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_admin or user.is_program_staff)


HISTORY_PAGE_SIZE = 20


def history(request, model: str, pk: int):
    """A record's changes, newest first: the History panel's contents (htmx) or a page of its own.

    Staff read every record's history, as they read every record (a deleted record's too: the
    activity feed links here). Partners, and anyone else, get a 404 like for a missing record.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.paginator import Paginator
    from django.http import Http404
    from django.shortcuts import render

    from core.history.display import change_views, history_url
    from core.history.recording import is_recorded
    from core.models import ObjectChange

    if not _reads_history(request.user):
        raise Http404
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    if not is_recorded(model_class):
        raise Http404
    records = model_class._default_manager.all()
    if hasattr(records, "visible_to"):
        records = records.visible_to(request.user)
    record = records.filter(pk=pk).first()
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model_class), object_id=pk
    ).select_related("actor", "content_type")
    page = Paginator(changes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    if record is None and not page.object_list:
        raise Http404
    context = {
        "record": record,
        "record_name": str(record) if record is not None else page.object_list[0].object_repr,
        "model_name": model_class._meta.verbose_name,
        "page": page,
        "changes": change_views(list(page.object_list)),
        "history_url": history_url(model_class, pk),
    }
    template = "core/includes/history_changes.html" if request.htmx else "core/history.html"
    return render(request, template, context)


@staff_required
def picker(request, model: str):
    """A picker's options after a search (HTMX): the chosen rows stay first, the matches follow.

    Only a model with a FilterSet can be picked; the rows are the user's visible ones and the
    search is that FilterSet's, so the answer for a hidden row is the answer for a missing one.
    """
    from django.apps import apps
    from django.http import Http404
    from django.shortcuts import render

    from core.pickers import chosen_ids, filterset_for, options, picker_context

    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    filterset_class = filterset_for(model_class)
    name = request.GET.get("name", "")
    if filterset_class is None or not name.isidentifier():
        raise Http404
    suggest = [field for field in request.GET.get("suggest", "").split(",") if field in filterset_class.base_filters]
    query = request.GET.get(f"{name}_q", "").strip()
    picked = options(
        model_class._default_manager.visible_to(request.user),
        selected=chosen_ids(request.GET.getlist(name)),
        query=query,
        suggest={field: request.GET.get(field, "") for field in suggest},
        request=request,
    )
    context = picker_context(
        name=name,
        model=model_class,
        multiple=request.GET.get("multiple") == "1",
        suggest=suggest,
        query=query,
        picked=picked,
    )
    return render(request, "core/widgets/picker_options.html", {"picker": context})
