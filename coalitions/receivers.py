"""What coalitions does when something happens in the apps below it (their signals)."""

from django.dispatch import receiver

from planning.services import entry_point_selected

from .models import Initiative
from .services import initiative_create_for_entry_point


@receiver(entry_point_selected)
def entry_point_initiative(sender, *, entry_point, **kwargs) -> Initiative:
    """A selected entry point becomes an initiative (planning's service returns it)."""
    return initiative_create_for_entry_point(entry_point=entry_point)
