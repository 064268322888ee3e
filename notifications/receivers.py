from django.db import transaction
from django.dispatch import receiver

from core.signals import api_write
from core.tasks import enqueue_after_commit
from explorers_network.services import contact_request_received

from .services import partner_write_notify

PAST_TENSE = {"create": "created", "update": "updated", "delete": "deleted"}


@receiver(contact_request_received)
def on_contact_request_received(sender, contact_request, **kwargs) -> None:
    enqueue_after_commit("notifications.tasks.contact_request_notify", contact_request_id=contact_request.pk)


@receiver(api_write)
def on_api_write(sender, user, action: str, obj, **kwargs) -> None:
    """A partner's write to a coalition's records tells that country's team, once it commits."""
    coalition_id = getattr(obj, "coalition_id", None)
    if not getattr(user, "is_partner", False) or coalition_id is None:
        return
    transaction.on_commit(
        lambda: partner_write_notify(coalition_id=coalition_id, user=user, action=PAST_TENSE[action], obj=obj)
    )
