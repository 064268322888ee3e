from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def start_campaign(campaign_id: int) -> None:
    services.campaign_start(campaign_id=campaign_id)


@shared_task(ignore_result=True)
def start_due_campaigns() -> None:
    services.campaigns_start_due()
