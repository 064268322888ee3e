"""Getting one row for a user (out of sight is a 404, in sight but not theirs to change a 403), the
confirmation every destructive action asks for, and the staff pages for a person's data."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import staff_required
from core.search import search_condition


def get_visible_or_404(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may see it; a 404 exactly like a missing id otherwise."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_editable_or_403(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """The row if the user may change it; 404 when out of sight, 403 when only readable."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if not queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def get_editable_or_404(queryset: models.QuerySet, user, **lookup) -> models.Model:
    """For a destructive action: a row the user may not change is a 404, exactly like a missing id."""
    return get_object_or_404(queryset.editable_by(user), **lookup)


def confirm_action(
    request,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    perform: Callable[[], HttpResponse],
    danger: bool = True,
) -> HttpResponse:
    """Every destructive action's one shape: a GET says what will happen and changes nothing, a POST performs it.

    `perform()` does the work through a service (which records it) and returns the response:
    a redirect, or a download.
    """
    if request.method == "POST":
        return perform()
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "danger": danger,
    }
    return render(request, "core/confirm_action.html", context)


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


# Personal data: a person's data exported or erased through the registry (core/personal_data) ----

PERSONAL_DATA_RESULTS = 20
PERSONAL_DATA_LOG = 50


@staff_required
def personal_data(request):
    """Find a person (an explorer, a contact person) to answer their access or erasure request; the log of requests."""
    from .models import ActionRecord
    from .personal_data import subject_kinds

    query = request.GET.get("q", "").strip()[:200]
    results = []
    if query:
        for kind in subject_kinds().values():
            manager = kind.model._default_manager.select_related(*kind.select_related)
            condition = search_condition(kind.model, kind.search_fields, query)
            rows = list(manager.visible_to(request.user).filter(condition)[:PERSONAL_DATA_RESULTS])
            editable = set(
                manager.editable_by(request.user).filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True)
            )
            results.append(
                {
                    "kind": kind,
                    "rows": [
                        {"record": row, "email": getattr(row, kind.email_field), "editable": row.pk in editable}
                        for row in rows
                    ],
                }
            )
    log = ActionRecord.objects.filter(action__in=[ActionRecord.Action.ERASE, ActionRecord.Action.EXPORT])
    context = {
        "query": query,
        "results": results,
        "log": log.select_related("actor")[:PERSONAL_DATA_LOG],
        "nav_section": "personal_data",
    }
    return render(request, "core/personal_data.html", context)


def _subject_or_404(request, kind: str, pk: int):
    from .services import subject_for

    subject = subject_for(kind=kind, pk=pk, user=request.user)
    if subject is None:
        raise Http404
    return subject


def _what_is_held(subject) -> list[str]:
    lines = []
    for holding, pks in subject.found():
        if pks:
            lines.append(
                ngettext("%(what)s: %(count)s record", "%(what)s: %(count)s records", len(pks))
                % {"what": holding.description, "count": len(pks)}
            )
    return lines


@staff_required
def personal_data_export(request, kind: str, pk: int):
    """A person's data as a JSON download; out of the user's edit scope (another country, a partner) is a 404."""
    from . import services

    subject = _subject_or_404(request, kind, pk)

    def perform() -> HttpResponse:
        data = services.personal_data_export(subject=subject, user=request.user)
        response = JsonResponse(data, json_dumps_params={"indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{kind}-{subject.pk}.json"'
        return response

    return confirm_action(
        request,
        title=_("Export the data of %(name)s") % {"name": subject.record},
        consequences=[
            _("A JSON file with everything held about this person will be downloaded:"),
            *_what_is_held(subject),
            _("The export is recorded (who and when, not the data)."),
        ],
        button=_("Download the data (JSON)"),
        cancel_url=subject.record.get_absolute_url(),
        danger=False,
        perform=perform,
    )


@staff_required
def personal_data_erase(request, kind: str, pk: int):
    """Erase a person everywhere the registry lists; out of the user's edit scope is a 404."""
    from . import services

    subject = _subject_or_404(request, kind, pk)

    def perform() -> HttpResponse:
        services.personal_data_erase(subject=subject, user=request.user)
        messages.success(request, _("The person's personal data has been erased."))
        return redirect("core:personal_data")

    return confirm_action(
        request,
        title=_("Erase the data of %(name)s") % {"name": subject.record},
        consequences=[
            _("These records will be deleted, and their history scrubbed of the person's data:"),
            *_what_is_held(subject),
            _("This cannot be undone. Only a hash of the address is kept, so that it is never mailed again."),
            _("The erasure is recorded (who and when, not the data)."),
        ],
        button=_("Erase this person's data"),
        cancel_url=subject.record.get_absolute_url(),
        perform=perform,
    )


@login_required
def picker(request, model: str):
    """A picker's options after a search (HTMX): the chosen rows stay first, the matches follow.

    Only a model with a FilterSet can be picked; the rows are the user's visible ones and the
    search is that FilterSet's, so the answer for a hidden row is the answer for a missing one.
    Open to everyone signed in (partners pick participants and actors in the partner portal):
    what it can offer is `visible_to(user)`, no more than the API lists for them.
    """
    from django.apps import apps
    from django.http import Http404
    from django.shortcuts import render

    from core.pickers import chosen_ids, filterset_for, limit_from_query, options, picker_context

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
    limit = [field for field in request.GET.get("limit", "").split(",") if field]
    picked = options(
        model_class._default_manager.visible_to(request.user),
        selected=chosen_ids(request.GET.getlist(name)),
        query=query,
        suggest={field: request.GET.get(field, "") for field in suggest},
        limit=limit_from_query(request.GET, limit) if limit else None,
        request=request,
    )
    context = picker_context(
        name=name,
        model=model_class,
        multiple=request.GET.get("multiple") == "1",
        suggest=suggest,
        query=query,
        picked=picked,
        limit=limit,
        limit_values={
            key[len("limit_") :]: value.split(",") for key, value in request.GET.items() if key.startswith("limit_")
        },
    )
    return render(request, "core/widgets/picker_options.html", {"picker": context})
