"""An attachment's files leave the storage when its row is deleted, however that happens: through
the page or the API, with its record (a cascade), or in a person's erasure."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import services
from .models import Attachment


@receiver(post_delete, sender=Attachment)
def on_post_delete(sender, instance: Attachment, **kwargs) -> None:
    names = [instance.file.name, instance.thumbnail.name]
    transaction.on_commit(lambda: services.files_remove(names=names))
