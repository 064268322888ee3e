from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.parsing import parse_id

from .forms import PreferencesForm
from .models import Kind, Notification, Preference

PAGE_SIZE = 50


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
def badge(request):
    """The header badge's text, fetched by HTMX after the page loads so no page pays for the count."""
    count = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/includes/badge_count.html", {"count": count})


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (`id`) or all of the user's notifications read."""
    notifications = Notification.objects.for_user(request.user).unread()
    one = request.POST.get("id", "")
    if one:
        notifications = notifications.filter(pk=parse_id(one) or 0)
    notifications.update(read_at=timezone.now())
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = {pref.kind: pref for pref in Preference.objects.filter(user=request.user)}
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        for kind in Kind.values:
            Preference.objects.update_or_create(
                user=request.user,
                kind=kind,
                defaults={
                    "in_app": form.cleaned_data[f"{kind}__in_app"],
                    "by_email": form.cleaned_data[f"{kind}__by_email"],
                },
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
