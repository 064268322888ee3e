"""A commitment's and an outcome's read-only pages: what a viewer reads, with the record's files
(upload and delete for those who may change it, read-only for the rest), linked from the coalition
page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attachments.services import attachments_create
from attachments.tests.conftest import PDF

from .conftest import page_and_panels

pytestmark = pytest.mark.django_db

RECORDS = {"commitment_detail": "co_commitment", "outcome_detail": "co_outcome"}
EDIT = {"commitment_detail": "commitment_update", "outcome_detail": "outcome_update"}


def attach(record, user, name="acta.pdf"):
    return attachments_create(
        target=record, uploads=[SimpleUploadedFile(name, PDF)], kind="agreement", title="", user=user
    )[0]


def upload_url(record) -> str:
    return reverse("attachments:attachment_upload", args=[record._meta.label_lower, record.pk])


@pytest.mark.parametrize("page", sorted(RECORDS))
def test_staff_of_the_country_see_the_files_with_upload_delete_and_edit(staff_client, world, page):
    record = getattr(world, RECORDS[page])
    attachment = attach(record, world.staff_co)
    assert record.get_absolute_url() == reverse(f"coalitions:{page}", kwargs={"pk": record.pk})
    html = staff_client.get(record.get_absolute_url()).content.decode()
    assert record.description in html
    assert reverse("attachments:attachment_download", args=[attachment.pk]) in html
    assert upload_url(record) in html
    assert reverse("attachments:attachment_delete", args=[attachment.pk]) in html
    assert reverse(f"coalitions:{EDIT[page]}", kwargs={"pk": record.pk}) in html


@pytest.mark.parametrize("page", sorted(RECORDS))
def test_staff_of_another_country_read_the_files_without_changing_them(other_staff_client, world, page):
    record = getattr(world, RECORDS[page])
    attachment = attach(record, world.staff_co)
    response = other_staff_client.get(record.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("attachments:attachment_download", args=[attachment.pk]) in html
    assert upload_url(record) not in html
    assert reverse("attachments:attachment_delete", args=[attachment.pk]) not in html
    assert reverse(f"coalitions:{EDIT[page]}", kwargs={"pk": record.pk}) not in html


@pytest.mark.parametrize("page", sorted(RECORDS))
def test_partners_get_the_staff_gate_and_a_missing_record_is_404(partner_client, staff_client, world, page):
    record = getattr(world, RECORDS[page])
    assert partner_client.get(record.get_absolute_url()).status_code == 403
    assert staff_client.get(reverse(f"coalitions:{page}", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("page", sorted(RECORDS))
def test_the_page_costs_the_same_queries_with_50_attachments(staff_client, world, page):
    record = getattr(world, RECORDS[page])
    url = record.get_absolute_url()
    attach(record, world.staff_co)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for index in range(49):
        attach(record, world.staff_co, name=f"acta-{index}.pdf")
    with CaptureQueriesContext(connection) as fifty:
        html = staff_client.get(url).content.decode()
    assert html.count('class="attachment"') == 50
    assert len(fifty) == len(one)


def test_the_coalition_page_links_to_them(staff_client, world):
    coalition_page = page_and_panels(staff_client, world.co_coalition)
    for name in RECORDS.values():
        assert f'href="{getattr(world, name).get_absolute_url()}"' in coalition_page
