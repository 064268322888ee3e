"""The type of a file read from its content, and the size limit applied while the body streams in."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile

from attachments import content
from attachments.uploads import SizeLimitUploadHandler

from .conftest import ELF, EXECUTABLE, PDF, jpeg_with_gps, png


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("acta.pdf", PDF, "application/pdf"),
        ("foto.JPG", jpeg_with_gps(), "image/jpeg"),
        ("mapa.png", png(), "image/png"),
        ("lista.csv", "nombre;firma\nAna Pérez;sí\n".encode(), "text/csv"),
        ("notas.txt", b"Acuerdos del taller\r\n", "text/plain"),
        ("sin-nombre", "Año 2026\n".encode("cp1252"), "text/plain"),
    ],
)
def test_allowed_types_are_read_from_the_content(name, data, mime):
    assert content.detect(SimpleUploadedFile(name, data)) == mime


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("informe.pdf", EXECUTABLE),
        ("foto.jpg", ELF),
        ("datos.csv", b"PK\x03\x04" + b"\x00" * 100),  # a zip archive
        ("binario.txt", b"abc\x00\x01\x02"),
        ("vacio.txt", b""),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, data):
    with pytest.raises(ValidationError):
        content.detect(SimpleUploadedFile(name, data))


def test_the_limit_stops_a_file_at_the_chunk_that_passes_it():
    handler = SizeLimitUploadHandler(limit=100)
    handler.new_file("files", "big.bin", "application/octet-stream", None)
    assert handler.receive_data_chunk(b"a" * 60, 0) == b"a" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"a" * 60, 60)
    assert handler.too_large == ["big.bin"]
    handler.new_file("files", "small.bin", "application/octet-stream", None)
    assert handler.receive_data_chunk(b"a" * 90, 0) == b"a" * 90


def test_an_unreadable_image_is_refused():
    with pytest.raises(ValidationError):
        content.checked(SimpleUploadedFile("foto.png", png()[:40]))
