"""Demo evidence files (`make run`): small files made here, attached through the one attachments service.

A block of the demo data (core/demo.py) calls `attachment_sample_create` for each file:

    - call: attachments.demo.attachment_sample_create
      model: attachments.Attachment
      key: [title]                   # a second run finds the file by its title and attaches nothing
      records:
      - record: {model: coalitions.Engagement, title: Taller de co-creación en Uribia}
        sample: attendance.csv       # a name from SAMPLES: what is made, and the file's name
        title: Lista de asistencia del taller
        kind: attendance_sheet
        uploaded_by: staff-co

The file goes through `attachments_create` as an upload would: its type read from its content, a
photo re-encoded without metadata (the samples have none: made by Pillow, no camera, no GPS), a
thumbnail in the task. The files are tiny and made in memory, so loading the demo stays fast.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from . import registry, services
from .models import Attachment

ATTENDANCE = (
    "Nombre,Organización,Rol,Firma\n"
    "María Epieyú,Red de Mujeres Solares,Lideresa comunitaria,sí\n"
    "Autoridad tradicional,Autoridades Wayuu,Autoridad,sí\n"
    "Delegado,Alcaldía de Uribia,Secretaría de planeación,sí\n"
    "Técnico,Solar Caribe,Instalador,sí\n"
    "Coordinadora,Fundación Sol Wayuu,Facilitación,sí\n"
)


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (Latin-1 text, Helvetica): small, valid, readable in a browser."""
    text = "\n".join(
        f"BT /F1 12 Tf 72 {760 - 20 * number} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET"
        for number, line in enumerate(lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def photo(sky: str, ground: str) -> bytes:
    """A small JPEG drawn by Pillow (a sky, the ground, a solar panel): no camera, so no metadata."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 210, 480, 320), fill=ground)
    draw.polygon([(150, 200), (330, 200), (300, 140), (180, 140)], fill="#1f3a5f", outline="#dddddd")
    draw.ellipse((380, 30, 440, 90), fill="#ffd34d")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


#: What each sample is made of, by its file name.
SAMPLES = {
    "asistencia-taller-uribia.csv": lambda: ATTENDANCE.encode("utf-8"),
    "taller-uribia-1.jpg": lambda: photo("#9fc9e8", "#c8a56a"),
    "taller-uribia-2.jpg": lambda: photo("#f2c38b", "#8d6e4a"),
    "acta-firmada.pdf": lambda: pdf(
        [
            "Acta de la sesión de la coalición",
            "Compromiso: mapear las líneas de financiación pública",
            "Firmado por las organizaciones miembro",
        ]
    ),
    "acuerdo-municipal-uribia.pdf": lambda: pdf(
        [
            "Acuerdo municipal de Uribia",
            "Contrapartida para comunidades energéticas solares",
            "Presupuesto 2026",
        ]
    ),
}


def attachment_sample_create(*, record: dict, sample: str, title: str, kind: str, uploaded_by) -> list[Attachment]:
    """Attach the sample file `sample` to the record `record` names ({model: "app.Model", field: value, ...})."""
    lookup = dict(record)
    entry = registry.attachable(str(lookup.pop("model", "")))
    if entry is None:
        raise ValidationError(f"files cannot be attached to {record.get('model')!r}")
    target = entry.model._default_manager.filter(**lookup).first()
    if target is None:
        raise ValidationError(f"no {entry.label} with {lookup}")
    if sample not in SAMPLES:
        raise ValidationError(f"no sample file {sample!r} (one of {', '.join(SAMPLES)})")
    upload = SimpleUploadedFile(sample, SAMPLES[sample]())
    return services.attachments_create(target=target, uploads=[upload], kind=kind, title=title, user=uploaded_by)
