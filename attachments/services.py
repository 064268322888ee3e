"""Attaching files to a record and removing them: every write of attachments goes through here."""

import datetime
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from core.services import row_delete
from core.tasks import enqueue_after_commit
from core.validation import save_valid

from . import content
from .models import Attachment

logger = logging.getLogger(__name__)


def attachments_create(*, target: models.Model, uploads: list, kind: str, title: str, user) -> list[Attachment]:
    """Attach the uploaded files to `target`, all or none; each file's type is read from its content
    and a photo is stored re-encoded, without its metadata. Thumbnails follow in a task.

    `title` names every file; left empty, each file is named after its file name.
    """
    checked = []
    errors = []
    for upload in uploads:
        try:
            checked.append((upload, content.checked(upload)))
        except ValidationError as error:
            errors += [f"{upload.name}: {message}" for message in error.messages]
    if errors:
        raise ValidationError(errors)
    created = []
    stored = []
    try:
        with transaction.atomic():
            for upload, item in checked:
                name = PurePath(upload.name or "file").name[:255]
                attachment = Attachment(
                    target=target,
                    title=(title or PurePath(name).stem or name)[:200],
                    kind=kind,
                    original_name=name,
                    mime_type=item.mime,
                    size=item.size,
                    uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                )
                attachment.file.save(name, item.content, save=False)
                stored.append(attachment.file.name)
                save_valid(attachment)
                if attachment.is_image:
                    enqueue_after_commit("attachments.tasks.attachment_thumbnail_create", attachment_id=attachment.pk)
                created.append(attachment)
    except Exception:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    return created


def attachment_delete(*, attachment: Attachment, user) -> None:
    """Delete an attachment (recorded); its files leave the storage once the deletion commits."""
    row_delete(obj=attachment, user=user)


def attachment_thumbnail_create(*, attachment_id: int) -> bool:
    """A small JPEG of an image attachment, for the list on its record's page; whether one was made
    (none for a file that is not an image, has one already or is gone)."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not attachment.is_image or attachment.thumbnail:
        return False
    with attachment.file.open("rb") as source:
        data = content.thumbnail(source)
    attachment.thumbnail.save("thumbnail.jpg", ContentFile(data), save=False)
    # Only if no other run (the task and the sweep at once) stored one meanwhile: else this one goes.
    if not Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=attachment.thumbnail.name):
        attachment.thumbnail.storage.delete(attachment.thumbnail.name)
        return False
    return True


def attachment_thumbnails_sweep(*, older_than: datetime.timedelta | None = None, batch: int | None = None) -> int:
    """Make the thumbnails the task never made (a broker outage, a worker lost): images without one,
    attached more than `older_than` ago (`ATTACHMENT_THUMBNAIL_SWEEP_AGE_SECONDS`, so a task still
    queued gets there first), at most `batch` of them (`ATTACHMENT_THUMBNAIL_SWEEP_BATCH`) per run,
    oldest first. How many were made; a second run finds nothing to do.

    An image whose thumbnail cannot be made (its file gone from the storage) is logged and left.
    """
    if older_than is None:
        older_than = datetime.timedelta(seconds=settings.ATTACHMENT_THUMBNAIL_SWEEP_AGE_SECONDS)
    if batch is None:
        batch = settings.ATTACHMENT_THUMBNAIL_SWEEP_BATCH
    due = (
        Attachment.objects.without_thumbnail()
        .filter(created_at__lte=timezone.now() - older_than)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    made = 0
    for attachment_id in list(due):
        try:
            made += attachment_thumbnail_create(attachment_id=attachment_id)
        except Exception:
            logger.warning("No thumbnail for attachment %s", attachment_id, exc_info=True)
    return made


def files_remove(*, names: list[str]) -> None:
    """Remove stored files (of deleted attachments) from the storage."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)
