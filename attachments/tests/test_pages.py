"""Attaching, listing, downloading and deleting files on a record's page, for each persona."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from attachments.models import Attachment
from attachments.services import attachments_create
from core.models import ActionRecord
from core.testing import response_body

from .conftest import EXECUTABLE, PDF, jpeg_with_gps, png, stored_files

pytestmark = pytest.mark.django_db


def upload_url(record) -> str:
    return reverse("attachments:attachment_upload", args=[record._meta.label_lower, record.pk])


def download(client, attachment, view="attachment_download"):
    """The response and the file's bytes (read and closed: a streamed file is open until then)."""
    response = client.get(reverse(f"attachments:{view}", args=[attachment.pk]))
    return response, response_body(response)


def attach(record, user, *, name="sheet.pdf", data=PDF, kind="attendance_sheet") -> Attachment:
    return attachments_create(target=record, uploads=[SimpleUploadedFile(name, data)], kind=kind, title="", user=user)[
        0
    ]


def test_staff_attach_several_files_to_their_workshop(staff_client, world, django_capture_on_commit_callbacks):
    engagement = world.co_engagement
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            upload_url(engagement),
            {
                "files": [SimpleUploadedFile("asistencia.pdf", PDF), SimpleUploadedFile("foto.jpg", jpeg_with_gps())],
                "kind": "attendance_sheet",
                "title": "",
                "next": engagement.get_absolute_url(),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"{engagement.get_absolute_url()}#attachments"
    attachments = {a.original_name: a for a in Attachment.objects.on(engagement)}
    assert set(attachments) == {"asistencia.pdf", "foto.jpg"}
    assert attachments["asistencia.pdf"].mime_type == "application/pdf"
    assert attachments["asistencia.pdf"].title == "asistencia"
    assert attachments["foto.jpg"].uploaded_by == world.staff_co
    assert attachments["foto.jpg"].thumbnail  # the task ran after the commit
    page = staff_client.get(engagement.get_absolute_url())
    assert "asistencia" in page.content.decode()
    assert reverse("attachments:attachment_thumbnail", args=[attachments["foto.jpg"].pk]) in page.content.decode()


@pytest.mark.parametrize("record", ["co_engagement", "co_commitment", "co_outcome", "co_org"])
def test_every_attachable_record_takes_files(staff_client, world, record):
    target = getattr(world, record)
    response = staff_client.post(upload_url(target), {"files": [SimpleUploadedFile("a.pdf", PDF)], "kind": "report"})
    assert response.status_code == 302
    assert Attachment.objects.on(target).count() == 1


def test_staff_of_another_country_may_read_but_not_attach(other_staff_client, world):
    engagement = world.co_engagement
    response = other_staff_client.post(upload_url(engagement), {"files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert response.status_code == 403
    assert not Attachment.objects.exists()
    attachment = attach(engagement, world.staff_co)
    page = other_staff_client.get(engagement.get_absolute_url()).content.decode()
    assert attachment.title in page and upload_url(engagement) not in page
    assert download(other_staff_client, attachment)[0].status_code == 200
    delete = reverse("attachments:attachment_delete", args=[attachment.pk])
    assert other_staff_client.post(delete).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize(("persona", "download_status"), [("partner_client", 200), ("other_partner_client", 404)])
def test_partners_get_the_staff_gate_on_the_pages(request, world, persona, download_status):
    """Partners attach from the portal; the file itself follows its record's visible_to."""
    client = request.getfixturevalue(persona)
    attachment = attach(world.co_engagement, world.staff_co)
    assert (
        client.post(upload_url(world.co_engagement), {"files": [SimpleUploadedFile("a.pdf", PDF)]}).status_code == 403
    )
    assert download(client, attachment)[0].status_code == download_status
    assert client.post(reverse("attachments:attachment_delete", args=[attachment.pk])).status_code == 403
    assert Attachment.objects.count() == 1


def test_anonymous_are_sent_to_sign_in(client, world):
    attachment = attach(world.co_engagement, world.staff_co)
    for response in (
        client.post(upload_url(world.co_engagement), {"files": [SimpleUploadedFile("a.pdf", PDF)]}),
        client.get(reverse("attachments:attachment_download", args=[attachment.pk])),
        client.post(reverse("attachments:attachment_delete", args=[attachment.pk])),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Attachment.objects.count() == 1


def test_a_pdf_opens_in_the_browser_and_a_spreadsheet_downloads(staff_client, world):
    pdf = attach(world.co_engagement, world.staff_co)
    response, body = download(staff_client, pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == PDF
    text = attach(world.co_engagement, world.staff_co, name="page.html", data=b"<script>alert(1)</script>")
    response, _body = download(staff_client, text)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_storage_name_is_random_and_not_the_file_name(world):
    first = attach(world.co_engagement, world.staff_co, name="acta.pdf")
    second = attach(world.co_engagement, world.staff_co, name="acta.pdf")
    assert "acta" not in first.file.name and first.file.name != second.file.name
    assert len(first.file.name.rsplit("/", 1)[1]) == 40


def test_a_renamed_executable_is_refused(staff_client, world, media_root):
    for name, data in (("informe.pdf", EXECUTABLE), ("foto.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100)):
        response = staff_client.post(
            upload_url(world.co_engagement), {"files": [SimpleUploadedFile(name, data)], "kind": "report"}
        )
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any(name in message for message in messages)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_while_it_streams(staff_client, world, settings, media_root):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = staff_client.post(
        upload_url(world.co_engagement),
        {
            "files": [SimpleUploadedFile("big.txt", b"a" * 5000), SimpleUploadedFile("small.txt", b"ok")],
            "kind": "other",
        },
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("big.txt" in message for message in messages)
    assert not Attachment.objects.exists()  # all or none
    assert stored_files(media_root) == []


def test_a_photo_loses_its_location_and_camera(staff_client, world):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a GPS position
    staff_client.post(
        upload_url(world.co_engagement), {"files": [SimpleUploadedFile("lider.jpg", original)], "kind": "photo"}
    )
    attachment = Attachment.objects.get()
    _response, body = download(staff_client, attachment)
    served = Image.open(io.BytesIO(body))
    exif = served.getexif()
    assert dict(exif) == {} and exif.get_ifd(0x8825) == {}
    assert served.size == (64, 48)
    assert b"CameraMaker" not in body and b"CameraMaker" in original


def test_delete_asks_first_then_removes_the_row_and_the_files(
    staff_client, world, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(world.co_engagement, world.staff_co, name="p.png", data=png())
    assert len(stored_files(media_root)) == 2  # the file and its thumbnail
    url = reverse("attachments:attachment_delete", args=[attachment.pk])
    confirm = staff_client.get(url)
    assert confirm.status_code == 200 and "p.png" in confirm.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert ActionRecord.objects.filter(action="delete", model="attachments.Attachment").exists()
    assert stored_files(media_root) == []


def test_a_hidden_or_missing_attachment_is_the_same_404(staff_client, world):
    assert staff_client.get(reverse("attachments:attachment_download", args=[999])).status_code == 404
    assert staff_client.get(reverse("attachments:attachment_thumbnail", args=[999])).status_code == 404


def test_the_engagement_page_costs_the_same_queries_with_50_attachments(staff_client, world):
    url = world.co_engagement.get_absolute_url()
    attach(world.co_engagement, world.staff_co)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for index in range(49):
        attach(world.co_engagement, world.staff_co, name=f"sheet-{index}.pdf")
    with CaptureQueriesContext(connection) as fifty:
        page = staff_client.get(url)
    assert page.content.decode().count('class="attachment"') == 50
    assert len(fifty) == len(one)
