"""Thumbnails the broker missed: beat's sweep (and `manage.py sweep_thumbnails`) makes them later, once."""

import datetime
import io
import logging

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from attachments import tasks
from attachments.models import Attachment
from attachments.services import attachment_thumbnails_sweep, attachments_create
from core.tasks import registered_task

from .conftest import PDF, png, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch, settings):
    """Publishing the thumbnail task fails, as with Redis down: logged, never run."""

    def refuse(**options):
        raise OperationalError("connection refused")

    monkeypatch.setattr(registered_task("attachments.tasks.attachment_thumbnail_create"), "apply_async", refuse)
    settings.CELERY_TASK_ALWAYS_EAGER = False


def attach_while_the_broker_is_down(world, captured, caplog, name="foto.png", data=None, minutes_ago=10):
    with caplog.at_level(logging.WARNING, logger="core.tasks"), captured(execute=True):
        (attachment,) = attachments_create(
            target=world.co_engagement,
            uploads=[SimpleUploadedFile(name, data or png())],
            kind="photo",
            title="",
            user=world.staff_co,
        )
    Attachment.objects.filter(pk=attachment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return attachment


def test_an_image_saved_while_the_broker_was_down_gets_its_thumbnail_from_the_sweep_once(
    world, broker_down, caplog, django_capture_on_commit_callbacks, media_root
):
    attachment = attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog)
    assert "left for the periodic sweep" in caplog.text
    attachment.refresh_from_db()
    assert not attachment.thumbnail
    tasks.attachment_thumbnails_sweep()  # what beat runs
    attachment.refresh_from_db()
    assert attachment.thumbnail
    from PIL import Image

    with attachment.thumbnail.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG"
    files = stored_files(media_root)
    assert attachment_thumbnails_sweep() == 0  # a second run does nothing more
    assert stored_files(media_root) == files
    assert Attachment.objects.get(pk=attachment.pk).thumbnail == attachment.thumbnail


def test_the_sweep_leaves_recent_images_to_their_task_and_ignores_other_files(
    world, broker_down, caplog, django_capture_on_commit_callbacks
):
    recent = attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog, minutes_ago=1)
    pdf = attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog, "a.pdf", PDF)
    assert attachment_thumbnails_sweep() == 0
    assert not Attachment.objects.get(pk=recent.pk).thumbnail
    assert not Attachment.objects.get(pk=pdf.pk).thumbnail


def test_a_run_is_bounded_and_the_next_one_continues(world, broker_down, caplog, django_capture_on_commit_callbacks):
    for index in range(3):
        attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog, f"foto-{index}.png")
    assert attachment_thumbnails_sweep(batch=2) == 2
    assert attachment_thumbnails_sweep(batch=2) == 1
    assert attachment_thumbnails_sweep(batch=2) == 0
    assert not Attachment.objects.without_thumbnail().exists()


def test_an_image_whose_file_is_gone_is_logged_and_does_not_stop_the_others(
    world, broker_down, caplog, django_capture_on_commit_callbacks
):
    gone = attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog, "gone.png")
    kept = attach_while_the_broker_is_down(world, django_capture_on_commit_callbacks, caplog, "kept.png")
    gone.file.storage.delete(gone.file.name)
    with caplog.at_level(logging.WARNING, logger="attachments.services"):
        assert attachment_thumbnails_sweep() == 1
    assert f"No thumbnail for attachment {gone.pk}" in caplog.text
    assert Attachment.objects.get(pk=kept.pk).thumbnail


def test_the_command_makes_them_all_now(world, broker_down, caplog, django_capture_on_commit_callbacks, capsys):
    for index in range(3):
        attach_while_the_broker_is_down(
            world, django_capture_on_commit_callbacks, caplog, f"f-{index}.png", minutes_ago=0
        )
    call_command("sweep_thumbnails", min_age=0, batch=2)
    assert "3 thumbnails made." in capsys.readouterr().out
    assert not Attachment.objects.without_thumbnail().exists()
    call_command("sweep_thumbnails", min_age=0)
    assert "0 thumbnails made." in capsys.readouterr().out


def test_beat_runs_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["attachment-thumbnails-sweep"]
    assert registered_task(entry["task"]).name == tasks.attachment_thumbnails_sweep.name
