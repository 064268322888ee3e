from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def attachment_thumbnail_create(attachment_id: int) -> None:
    services.attachment_thumbnail_create(attachment_id=attachment_id)
