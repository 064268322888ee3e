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
