"""What an uploaded file is, read from its content (never its name), and a photo without its metadata.

The type comes from the file's first bytes (`filetype`, magic numbers); only the types in
`ALLOWED` are kept. CSV and plain text have no magic number: a file that matches none is taken
as text when its start decodes as text and holds no NUL byte, and as CSV when it is named so.
A renamed executable, an archive or a script is refused whatever its name says.

Photos are re-encoded by Pillow from their pixels before they are stored, so their EXIF (the
GPS position first: photos of community leaders must not tell where they live), XMP and
comments are gone; the orientation the camera noted is applied to the pixels first.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

#: How much of a file the type is read from (what `filetype` reads at most).
HEAD_BYTES = 8192
#: How much of a file without a magic number is checked to be text.
TEXT_SAMPLE_BYTES = 65536

PDF = "application/pdf"
#: Images a browser shows and Pillow re-encodes (their metadata stripped), with Pillow's format name.
IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
OFFICE = {
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
CSV = "text/csv"
TEXT = "text/plain"
ALLOWED = {PDF, *IMAGES, *OFFICE, CSV, TEXT}
#: Shown in the browser (inline) when opened; everything else is always a download.
INLINE = {PDF, *IMAGES}


@dataclasses.dataclass(frozen=True)
class Checked:
    """An upload that passed: the content to store and its type."""

    content: object
    mime: str
    size: int


def detect(upload) -> str:
    """The upload's type from its content; a ValidationError when it is not one of `ALLOWED`."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime not in ALLOWED:
            raise ValidationError(
                _("Files of this type (%(type)s) cannot be attached.") % {"type": kind.extension}, code="type"
            )
        return kind.mime
    sample = head + upload.read(TEXT_SAMPLE_BYTES - len(head))
    upload.seek(0)
    if not _is_text(sample):
        raise ValidationError(
            _("This file's type is not recognised. Attach a PDF, an image, an office document, a CSV or a text file."),
            code="type",
        )
    return CSV if PurePath(upload.name or "").suffix.lower() == ".csv" else TEXT


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return not any(ord(char) < 32 and char not in "\t\n\r\f" for char in text)
    return False


def checked(upload) -> Checked:
    """The upload ready to store: its type read from the content, a photo re-encoded without metadata."""
    mime = detect(upload)
    if mime in IMAGES:
        data = without_metadata(upload, IMAGES[mime])
        return Checked(content=ContentFile(data), mime=mime, size=len(data))
    return Checked(content=upload, mime=mime, size=upload.size)


def without_metadata(upload, image_format: str) -> bytes:
    """The image's pixels re-encoded: no EXIF (GPS, camera, time), no XMP, no comments.

    The colour profile stays (it changes how the pixels look, not who or where).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            profile = image.info.get("icc_profile")
            options = {"icc_profile": profile} if profile else {}
            out = io.BytesIO()
            if image_format == "GIF":
                frames = getattr(image, "n_frames", 1)
                image.save(out, format="GIF", save_all=frames > 1)
            else:
                upright = ImageOps.exif_transpose(image)
                if image_format == "JPEG":
                    options["quality"] = 90
                    if upright.mode not in {"RGB", "L", "CMYK"}:
                        upright = upright.convert("RGB")
                upright.save(out, format=image_format, **options)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This image cannot be read."), code="image") from None
    finally:
        upload.seek(0)
    return out.getvalue()


THUMBNAIL_SIZE = (320, 320)


def thumbnail(source) -> bytes:
    """A small JPEG of an image, for the attachment list."""
    from PIL import Image

    with Image.open(source) as image:
        image.seek(0)
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=80)
    return out.getvalue()
