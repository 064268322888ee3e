from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def snapshots_take() -> None:
    services.snapshots_take()
