"""The demo's evidence files (coalitions/demo/evidence.yaml, attachments/demo.py): attached through the
service on a seed, photos without metadata, served only to those who see their record."""

import io

import pytest
from django.contrib.auth import get_user_model

from attachments.models import Attachment
from core import demo
from core.testing import response_body

pytestmark = pytest.mark.django_db

WORKSHOP = "Taller de co-creación en Uribia"


@pytest.fixture
def seeded():
    return demo.load()


def workshop_files():
    from coalitions.models import Engagement

    return Attachment.objects.on(Engagement.objects.get(title=WORKSHOP)).order_by("title")


def test_the_seed_attaches_the_workshop_files_a_signed_act_and_an_agreement_once(seeded, media_root):
    from PIL import Image

    from coalitions.models import Commitment, Outcome

    files = list(workshop_files())
    assert sorted(file.kind for file in files) == ["attendance_sheet", "photo", "photo"]
    assert {file.mime_type for file in files} == {"text/csv", "image/jpeg"}
    assert all((media_root / file.file.name).is_file() for file in files)
    assert {file.uploaded_by.username for file in files} == {"staff-co"}
    for photo in workshop_files().filter(kind="photo"):  # through the service: stored without metadata
        with photo.file.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
            assert not image.getexif()
            assert "exif" not in image.info
    commitment = Commitment.objects.get(description="Map public funding lines for energy communities")
    outcome = Outcome.objects.get(description__startswith="The municipality of Uribia allocated")
    for record in (commitment, outcome):
        (attachment,) = Attachment.objects.on(record)
        assert (attachment.kind, attachment.mime_type) == ("agreement", "application/pdf")
        with attachment.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"

    count, stored_files = Attachment.objects.count(), sorted(media_root.rglob("*"))
    demo.load()
    assert (Attachment.objects.count(), sorted(media_root.rglob("*"))) == (count, stored_files)


def test_a_partner_of_another_coalition_cannot_fetch_the_workshop_files(seeded, client):
    users = get_user_model().objects
    for username, status in (("staff-co", 200), ("partner-co", 200), ("partner-pe", 404), ("staff-pe", 200)):
        client.force_login(users.get(username=username))
        for attachment in workshop_files():
            response = client.get(attachment.get_absolute_url())
            response_body(response)
            assert response.status_code == status, (username, attachment.title)
