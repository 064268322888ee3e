from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliveries_send(delivery_ids: list[int]) -> None:
    services.deliveries_send(ids=delivery_ids)


@shared_task(ignore_result=True)
def outbox_sweep() -> None:
    services.outbox_sweep()
