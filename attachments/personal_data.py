"""Files about a person: those attached to their own record, and those a user with their address uploaded.

Erasure deletes the rows, and with them the files in the storage (receivers.on_post_delete).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Attachment
from .registry import attachable_for


def _attachments_of(subject):
    condition = Q(pk__in=[])
    record = subject.record
    if attachable_for(type(record)) is not None:
        condition |= Q(target_type=ContentType.objects.get_for_model(type(record)), target_id=record.pk)
    email = subject.email_q("email")
    if email is not None:
        condition |= Q(uploaded_by__in=get_user_model()._default_manager.filter(email).values("pk"))
    return Attachment.objects.filter(condition)


register(
    "attachments.Attachment",
    fields=("title", "original_name", "file", "thumbnail", "uploaded_by"),
    rows=_attachments_of,
    description=_("Files attached to the person's record or uploaded by them"),
)
