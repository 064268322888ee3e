"""The record of API writes: who changed which row, how, and when."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.signals import api_write


def audit_record(*, request, action: str, obj: models.Model, fields: list[str] | None = None) -> None:
    """Store one audit event for a write made through the API (inside the write's transaction)."""
    # accounts sits above core; resolve the model lazily rather than import upwards.
    audit_event = apps.get_model("accounts", "AuditEvent")
    token = getattr(request.auth, "token_key", "") or ""
    audit_event.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        fields=sorted(fields or []),
        token_key=token,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:300],
    )
    api_write.send(sender=type(obj), user=request.user, action=action, obj=obj)
