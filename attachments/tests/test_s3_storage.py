"""Attachments on an S3-compatible object store, against moto's S3 server started on this machine.

Skipped without moto[server] (requirements-dev.txt), failed under REQUIRE_SERVICES=1. The server
listens on loopback only and stops with the module.
"""

import socket
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attachments.models import Attachment
from attachments.services import attachments_create
from core.testing import require_service

from .conftest import PDF

pytestmark = pytest.mark.django_db
BUCKET = "coalitions-attachments"


@pytest.fixture(scope="module")
def s3_endpoint():
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        ThreadedMotoServer = None
    require_service("moto's S3 server", ThreadedMotoServer is not None, "pip install 'moto[server]'")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch, settings):
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name=BUCKET,
        endpoint_url=s3_endpoint,
        access_key="testing",
        secret_key="testing",
        region_name="us-east-1",
        addressing_style="path",
        signature_version="s3v4",
        querystring_auth=True,
        querystring_expire=settings.ATTACHMENT_URL_EXPIRE,
        default_acl=None,
        file_overwrite=False,
    )
    client = storage.connection.meta.client
    if BUCKET not in {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET)
    for name in ("file", "thumbnail"):
        monkeypatch.setattr(Attachment._meta.get_field(name), "storage", storage)
    return storage


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback test server)
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, b"", {}


def test_the_download_view_hands_out_a_short_lived_signed_url(
    s3_storage, s3_endpoint, staff_client, other_partner_client, world, django_capture_on_commit_callbacks
):
    attachment = attachments_create(
        target=world.co_engagement,
        uploads=[SimpleUploadedFile("asistencia.pdf", PDF)],
        kind="attendance_sheet",
        title="",
        user=world.staff_co,
    )[0]
    assert s3_storage.exists(attachment.file.name)
    response = staff_client.get(reverse("attachments:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(s3_endpoint) and "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    status, body, headers = fetch(url)
    assert status == 200 and body == PDF
    assert headers.get("Content-Disposition", "").startswith("inline")
    unsigned_status, _body, _headers = fetch(url.split("?")[0])
    assert unsigned_status == 403  # the object is private: only the signed URL opens it

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("attachments:attachment_delete", args=[attachment.pk]))
    assert not s3_storage.exists(attachment.file.name)
