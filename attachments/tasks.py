from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def attachment_thumbnail_create(attachment_id: int) -> None:
    services.attachment_thumbnail_create(attachment_id=attachment_id)


@shared_task(ignore_result=True)
def attachment_thumbnails_sweep() -> None:
    """Beat's job (config/settings.py): the thumbnails a broker outage left unmade."""
    services.attachment_thumbnails_sweep()
