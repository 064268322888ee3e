"""Handing out a private stored file (an attachment, a report's workbook) to someone a view has
already checked: the one way, so every kind of file gets the same headers.

Nothing serves MEDIA_URL. On the file system the file streams from disk (FileResponse); on an
object store the answer is a redirect to a signed URL that expires after `ATTACHMENT_URL_EXPIRE`
seconds. Always `nosniff` and `private, no-store`, so a file cannot run as a page of this site
or stay in a shared cache.
"""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header


def is_local(storage) -> bool:
    """A storage with files on this machine's disk (streamed by the view), not an object store."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def stored_file_response(field: FieldFile, *, filename: str, content_type: str, inline: bool = False):
    """The file of `field` as a download named `filename` (or shown inline); a 404 when it is gone."""
    if not field:
        raise Http404
    storage = field.storage
    if not is_local(storage):
        parameters = {
            "ResponseContentDisposition": content_disposition_header(not inline, filename),
            "ResponseContentType": content_type,
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
        response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
