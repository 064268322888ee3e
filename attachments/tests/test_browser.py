"""Attaching an attendance sheet and a photo to a workshop in a real browser (Debian's Chromium)."""

import io

import pytest
from PIL import Image

from attachments.models import Attachment
from core.testing import closes_connections

from .conftest import PDF, jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@closes_connections
def test_staff_attach_an_attendance_sheet_and_a_photo_to_a_workshop(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.goto(world.co_engagement.get_absolute_url())
    panel = page.locator("#attachments")
    assert "No files attached yet." in panel.inner_text()
    panel.get_by_label("Files").set_input_files(
        [
            {"name": "asistencia.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "taller.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()},
        ]
    )
    panel.get_by_label("Kind").select_option("attendance_sheet")
    panel.get_by_role("button", name="Attach files").click()
    page.get_by_text("2 files attached.").wait_for()
    assert page.locator("#attachments .attachment").count() == 2
    assert page.locator("#attachments img").count() == 1  # the photo's thumbnail
    page.screenshot(path=artifact("attachments-workshop.png"), full_page=True)

    photo = Attachment.objects.get(original_name="taller.jpg")
    with photo.file.open("rb") as stored:
        assert dict(Image.open(io.BytesIO(stored.read())).getexif()) == {}
    response = page.request.get(f"/attachments/{photo.pk}/")
    assert response.status == 200 and response.headers["x-content-type-options"] == "nosniff"
