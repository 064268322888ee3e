"""Handing out an attachment's file to someone who may see its record (the page and the API).

Only PDFs and the images Pillow re-encoded open in the browser; anything else is a download
(`Content-Disposition: attachment`), always with `nosniff`, so a file cannot run as a page of
this site. On the file system the file streams from disk (FileResponse); on an object store the
answer is a redirect to a signed URL that expires after `ATTACHMENT_URL_EXPIRE` seconds.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header

from .models import Attachment
from .storage import is_local


def file_response(attachment: Attachment, *, thumbnail: bool = False):
    field = attachment.thumbnail if thumbnail else attachment.file
    if not field:
        raise Http404
    inline = thumbnail or attachment.opens_inline
    mime = "image/jpeg" if thumbnail else attachment.mime_type
    filename = attachment.original_name if not thumbnail else "thumbnail.jpg"
    storage = field.storage
    if not is_local(storage):
        parameters = {
            "ResponseContentDisposition": content_disposition_header(not inline, filename),
            "ResponseContentType": mime,
            "ResponseCacheControl": "private, no-store",
        }
        response = HttpResponseRedirect(
            storage.url(field.name, parameters=parameters, expire=settings.ATTACHMENT_URL_EXPIRE)
        )
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
