"""Attaching files to a record and removing them: every write of attachments goes through here."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction

from core.services import row_delete
from core.tasks import enqueue_after_commit
from core.validation import save_valid

from . import content
from .models import Attachment


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


def attachment_thumbnail_create(*, attachment_id: int) -> None:
    """A small JPEG of an image attachment, for the list on its record's page."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not attachment.is_image or attachment.thumbnail:
        return
    with attachment.file.open("rb") as source:
        data = content.thumbnail(source)
    attachment.thumbnail.save("thumbnail.jpg", ContentFile(data), save=False)
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)


def files_remove(*, names: list[str]) -> None:
    """Remove stored files (of deleted attachments) from the storage."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)
