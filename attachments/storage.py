"""Where attachment files are kept: `STORAGES["attachments"]` (config/settings.py).

On the file system (the default, under MEDIA_ROOT, which nothing serves) the download view
streams the file itself; on an S3-compatible object store (ATTACHMENTS_STORAGE_URL) it hands
out a short-lived signed URL instead. Storage names are random, so no URL can be guessed.
"""

import secrets

from django.core.files.storage import storages


def attachment_storage():
    return storages["attachments"]


def storage_name(instance, filename: str) -> str:
    """A random name: the original name is kept in the row, never in the storage."""
    token = secrets.token_hex(20)
    return f"attachments/{token[:2]}/{token}"


def thumbnail_name(instance, filename: str) -> str:
    token = secrets.token_hex(20)
    return f"attachments/thumbnails/{token[:2]}/{token}.jpg"
