from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def reminders_send() -> None:
    services.reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def digests_send() -> None:
    services.digests_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def contact_request_notify(contact_request_id: int) -> None:
    from explorers_network.models import ContactRequest

    contact_request = ContactRequest.objects.filter(pk=contact_request_id).first()
    if contact_request is not None:
        services.contact_request_notify(contact_request=contact_request)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def contact_requests_notify_missed() -> None:
    services.contact_requests_notify_missed()
