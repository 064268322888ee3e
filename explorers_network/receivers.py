"""What explorers_network does when something happens in the apps below it (their signals)."""

from django.dispatch import receiver

from outbox.services import deliveries_sent

from .services import campaigns_finish


@receiver(deliveries_sent)
def on_deliveries_sent(sender, *, campaign_ids, **kwargs) -> None:
    """A campaign whose last mail has gone is sent."""
    campaigns_finish(campaign_ids=campaign_ids)
