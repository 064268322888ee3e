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
