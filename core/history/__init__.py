"""The history of every change: one `core.ObjectChange` row per create, update or delete.

- `context`: who is writing and through what (a request, the API, the admin, a command, a task,
  the shell), set once per entry point and read when a row is written.
- `recording`: which models are recorded, the bulk paths (COPY, `bulk_create`, `bulk_update`,
  `QuerySet.update`) and `scrub_history` for erasure.
- `display`: history rows as people read them (field names, choice labels, linked records).

django-auditlog records single saves and deletes through model signals; many-to-many
changes and the bulk paths are recorded here, in bulk. This module imports nothing, so
`manage.py` can import `context` before Django is set up.
"""
