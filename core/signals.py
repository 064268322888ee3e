"""Signals that let apps above `core` react to what happens below them without being imported."""

from django.dispatch import Signal

#: Sent inside the transaction of every write made through the API or the partner portal (for a
#: delete, before it; `core.services.row_write` sends it).
#: Arguments: `user`, `action` ("create", "update" or "delete") and `obj` (the row).
api_write = Signal()

#: Sent after every bulk write of a recorded model (`update()`, `bulk_update()`, `bulk_create()` of
#: `core.models.RecordedQuerySet`), which Django's `post_save` does not see. Arguments: `sender`
#: (the model) and `using` (the database).
rows_written = Signal()
