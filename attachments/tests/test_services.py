"""Files leave the storage with their rows: deleted, deleted with their record, or erased with a person."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from attachments.services import attachments_create
from core.personal_data import Subject, subject_kind
from core.services import personal_data_erase, row_delete

from .conftest import PDF, png, stored_files

pytestmark = pytest.mark.django_db


def attach(record, user, name="a.pdf", data=PDF):
    return attachments_create(
        target=record, uploads=[SimpleUploadedFile(name, data)], kind="report", title="", user=user
    )[0]


def test_deleting_a_record_deletes_its_attachments_and_their_files(
    world, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attach(world.co_engagement, world.staff_co, "foto.png", png())
        attach(world.co_engagement, world.staff_co)
        kept = attach(world.pe_engagement, world.staff_pe)
    assert len(stored_files(media_root)) == 4  # two files, a thumbnail, and the Peruvian file
    with django_capture_on_commit_callbacks(execute=True):
        row_delete(obj=world.co_engagement, user=world.staff_co)
    assert list(Attachment.objects.all()) == [kept]
    assert stored_files(media_root) == [media_root / kept.file.name]


def test_erasing_a_person_removes_the_files_they_uploaded(world, media_root, django_capture_on_commit_callbacks):
    from explorers_network.models import Explorer

    explorer = Explorer.objects.create(name="Eva", email="eva@example.org", country="CO")
    world.staff_pe.email = "EVA@example.org"
    world.staff_pe.save()
    with django_capture_on_commit_callbacks(execute=True):
        theirs = attach(world.co_commitment, world.staff_pe)
        other = attach(world.co_commitment, world.staff_co)
    subject = Subject(subject_kind("explorer"), explorer)
    assert [pks for holding, pks in subject.found() if holding.label == "attachments.Attachment"] == [[theirs.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(subject=subject, user=world.admin)
    assert list(Attachment.objects.all()) == [other]
    assert stored_files(media_root) == [media_root / other.file.name]
