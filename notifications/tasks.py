from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_daily_reminders() -> None:
    services.reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_weekly_digests() -> None:
    services.digests_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notify_contact_request(contact_request_id: int) -> None:
    from explorers_network.models import ContactRequest

    contact_request = ContactRequest.objects.filter(pk=contact_request_id).first()
    if contact_request is not None:
        services.notify_contact_request(contact_request=contact_request)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notify_missed_contact_requests() -> None:
    services.contact_requests_notify_missed()
