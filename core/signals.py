"""Signals that let apps above `core` react to what happens below them without being imported."""

from django.dispatch import Signal

#: Sent inside the transaction of every write made through the API (for a delete, before it).
#: Arguments: `user`, `action` ("create", "update" or "delete") and `obj` (the row).
api_write = Signal()
