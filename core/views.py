"""Getting one row for a user: out of sight is a 404, in sight but not theirs to change is a 403."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from core.access import staff_required


def get_visible_or_404(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may see it; a 404 exactly like a missing id otherwise."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_editable_or_403(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may change it; 404 when out of sight, 403 when only readable."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


HISTORY_PAGE_SIZE = 20


@staff_required
def history(request, model: str, pk: int):
    """A record's changes, newest first: the History panel's contents (htmx) or a page of its own.

    Staff read every record's history, as they read every record (a deleted record's too: the
    activity feed links here). Partners get the staff gate's 403, as on every staff page.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.paginator import Paginator
    from django.http import Http404
    from django.shortcuts import render

    from core.history.display import change_views, history_url
    from core.history.recording import is_recorded
    from core.models import ObjectChange

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
