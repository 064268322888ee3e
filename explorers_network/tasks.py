from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def campaign_start(campaign_id: int) -> None:
    services.campaign_start(campaign_id=campaign_id)


@shared_task(ignore_result=True)
def campaigns_start_due() -> None:
    services.campaigns_start_due()
