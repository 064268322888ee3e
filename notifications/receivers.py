from django.dispatch import receiver

from explorers_network.services import contact_request_received
from outbox.services import enqueue_after_commit

from . import tasks


@receiver(contact_request_received)
def contact_request_notify(sender, contact_request, **kwargs) -> None:
    enqueue_after_commit(tasks.notify_contact_request, contact_request.pk)
