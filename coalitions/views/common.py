"""Small pieces the coalition views share."""

from django.db.models import QuerySet


def can_edit(queryset: QuerySet, user, obj) -> bool:
    """Whether to show edit links: the same rule `get_editable_or_403` enforces."""
    return queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists()
