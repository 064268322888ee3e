"""The activity feed of a country team: every change to its records, newest first."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from core.history.display import change_views
from core.models import ObjectChange

from .forms import ActivityFilterForm

FEED_PAGE_SIZE = 50


@login_required
def activity(request):
    """Staff see the changes of their countries' records; admins see every change. Partners: 404."""
    user = request.user
    if not (user.is_admin or user.is_program_staff):
        raise Http404
    form = ActivityFilterForm(request.GET or None, reader=user)
    changes = ObjectChange.objects.select_related("actor", "content_type")
    if not user.is_admin:
        changes = changes.filter(country_pk__in=user.team_country_ids)
    if form.is_valid():
        country, model, actor = (form.cleaned_data[name] for name in ("country", "model", "user"))
        if country is not None:
            changes = changes.filter(country_pk=country.pk)
        if model:
            app_label, model_name = model.split(".")
            changes = changes.filter(content_type=ContentType.objects.get_by_natural_key(app_label, model_name))
        if actor is not None:
            changes = changes.filter(actor=actor)
    page = Paginator(changes, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "changes": change_views(list(page.object_list)),
        "show_record": True,
        "nav_section": "activity",
    }
    return render(request, "accounts/activity.html", context)
