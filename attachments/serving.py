"""Handing out an attachment's file to someone who may see its record (the page and the API).

Only PDFs and the images Pillow re-encoded open in the browser; anything else is a download
(`Content-Disposition: attachment`). The headers, and streaming or signing the URL, are
`core.files.stored_file_response`'s, which every private file goes through.
"""

from core.files import stored_file_response

from .models import Attachment


def file_response(attachment: Attachment, *, thumbnail: bool = False):
    field = attachment.thumbnail if thumbnail else attachment.file
    inline = thumbnail or attachment.opens_inline
    mime = "image/jpeg" if thumbnail else attachment.mime_type
    filename = attachment.original_name if not thumbnail else "thumbnail.jpg"
    return stored_file_response(field, filename=filename, content_type=mime, inline=inline)
