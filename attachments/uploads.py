"""The size limit of an attachment, enforced while the request body streams in.

`SizeLimitUploadHandler` goes first among a request's upload handlers (the page and the API
insert it before the body is read): it counts each file's bytes as they arrive and, as soon as
one file passes `ATTACHMENT_MAX_BYTES`, drops it (`SkipFile`): the rest of that file is read
off the connection and thrown away, never written to memory or a temporary file. The view
then tells which files were too large.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping a file once it passes the limit; `too_large` names the files it stopped."""

    def __init__(self, request=None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.too_large: list[str] = []
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_uploads(request) -> SizeLimitUploadHandler:
    """Put the size limit in front of the request's upload handlers (before its body is read)."""
    handler = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler
