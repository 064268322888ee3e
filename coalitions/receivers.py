"""What coalitions does when something happens in the apps below it (their signals)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.models import bulk_written
from planning.services import entry_point_selected

from .models import Initiative
from .rollup import COUNTED_LINKS, COUNTED_MODELS, figures_changed
from .services import initiative_create_for_entry_point


@receiver(entry_point_selected)
def entry_point_initiative(sender, *, entry_point, **kwargs) -> Initiative:
    """A selected entry point becomes an initiative (planning's service returns it)."""
    return initiative_create_for_entry_point(entry_point=entry_point)


def _figures_changed(sender, using=None, **kwargs) -> None:
    figures_changed(using)


# A kept roll-up is dropped by every write to the rows it counts, whatever the path: saves, deletes
# (cascades included), the bulk writes of the recorded querysets and the participants' and shares' links.
for _model in COUNTED_MODELS:
    _uid = f"rollup:{_model._meta.label}"
    post_save.connect(_figures_changed, sender=_model, dispatch_uid=_uid)
    post_delete.connect(_figures_changed, sender=_model, dispatch_uid=_uid)
    bulk_written.connect(_figures_changed, sender=_model, dispatch_uid=_uid)
for _link in COUNTED_LINKS:
    m2m_changed.connect(_figures_changed, sender=_link, dispatch_uid=f"rollup:{_link._meta.label}")
