"""Partners attach evidence files from the portal, through the attachments service and the API's rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attachments.models import Attachment
from attachments.services import attachments_create
from attachments.tests.conftest import PDF
from coalitions.models import Commitment
from core.testing import response_body

pytestmark = pytest.mark.django_db


def files_url(model: str, pk: int) -> str:
    return reverse("portal:record_attachments", kwargs={"model": model, "pk": pk})


def download(client, attachment):
    response = client.get(reverse("attachments:attachment_download", args=[attachment.pk]))
    return response.status_code, response_body(response)


def test_partner_co_attaches_files_to_its_commitment_from_the_update_page(
    world, partner_client, staff_client, other_partner_client
):
    page = reverse("portal:commitment_update", kwargs={"pk": world.co_commitment.pk})
    assert files_url("commitment", world.co_commitment.pk) in partner_client.get(page).content.decode()
    response = partner_client.post(
        files_url("commitment", world.co_commitment.pk),
        {
            "files": [SimpleUploadedFile("informe.pdf", PDF), SimpleUploadedFile("acta.pdf", PDF)],
            "kind": "report",
            "title": "",
            "next": page,
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{page}#attachments"
    attachments = list(Attachment.objects.on(world.co_commitment).order_by("original_name"))
    assert [(a.title, a.kind, a.uploaded_by) for a in attachments] == [
        ("acta", "report", world.partner_co),
        ("informe", "report", world.partner_co),
    ]
    listed = partner_client.get(page).content.decode()
    assert reverse("attachments:attachment_download", args=[attachments[0].pk]) in listed
    assert "attachment-delete" not in listed  # partners delete no files
    assert download(partner_client, attachments[0]) == (200, PDF)
    assert download(staff_client, attachments[0]) == (200, PDF)
    assert download(other_partner_client, attachments[0])[0] == 404


def test_partner_co_cannot_attach_to_a_commitment_it_does_not_own(world, partner_client, other_partner_client):
    others = Commitment.objects.create(coalition=world.co_coalition, owner=world.co_mayor, description="Fund kits")
    body = {"files": [SimpleUploadedFile("informe.pdf", PDF)], "kind": "report"}
    assert partner_client.post(files_url("commitment", others.pk), body).status_code == 403
    body = {"files": [SimpleUploadedFile("informe.pdf", PDF)], "kind": "report"}
    assert other_partner_client.post(files_url("commitment", world.co_commitment.pk), body).status_code == 404
    # The page offers no form where the API would refuse.
    assert "attachment-upload" not in partner_client.get(files_url("commitment", others.pk)).content.decode()
    assert Attachment.objects.count() == 0


def test_partner_co_attaches_to_an_engagement_its_organisation_recorded(world, partner_client):
    engagement = world.co_engagement
    engagement.recorded_by = world.partner_co
    engagement.save(update_fields=["recorded_by"])
    detail = partner_client.get(
        reverse("portal:coalition_section", kwargs={"pk": world.co_coalition.pk, "section": "engagements"})
    )
    assert files_url("engagement", engagement.pk) in detail.content.decode()
    response = partner_client.post(
        files_url("engagement", engagement.pk), {"files": [SimpleUploadedFile("lista.pdf", PDF)], "kind": "report"}
    )
    assert response["Location"] == f"{files_url('engagement', engagement.pk)}#attachments"
    assert Attachment.objects.on(engagement).count() == 1


def test_an_engagement_staff_recorded_is_listed_without_a_form(world, partner_client):
    attachments_create(
        target=world.co_engagement, uploads=[SimpleUploadedFile("a.pdf", PDF)], kind="other", title="", user=None
    )
    page = partner_client.get(files_url("engagement", world.co_engagement.pk)).content.decode()
    assert "a.pdf" in page and "attachment-upload" not in page
    body = {"files": [SimpleUploadedFile("b.pdf", PDF)], "kind": "report"}
    assert partner_client.post(files_url("engagement", world.co_engagement.pk), body).status_code == 403


def test_the_files_of_a_commitment_another_member_owns_are_linked_and_read_only(world, partner_client):
    others = Commitment.objects.create(coalition=world.co_coalition, owner=world.co_mayor, description="Fund kits")
    attachments_create(
        target=others, uploads=[SimpleUploadedFile("acta.pdf", PDF)], kind="agreement", title="", user=None
    )
    coalition = partner_client.get(
        reverse("portal:coalition_section", kwargs={"pk": world.co_coalition.pk, "section": "plan"})
    )
    assert files_url("commitment", others.pk) in coalition.content.decode()
    page = partner_client.get(files_url("commitment", others.pk)).content.decode()
    assert "acta.pdf" in page and "attachment-upload" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["commitment_update", "record_attachments"])
def test_the_files_cost_the_same_queries_for_more_files(world, partner_client, page):
    commitment = world.co_commitment
    if page == "commitment_update":
        url = reverse("portal:commitment_update", kwargs={"pk": commitment.pk})
    else:
        url = files_url("commitment", commitment.pk)

    def attach(count):
        uploads = [SimpleUploadedFile(f"f{n}.pdf", PDF) for n in range(count)]
        attachments_create(target=commitment, uploads=uploads, kind="report", title="", user=world.partner_co)

    attach(1)
    few = _queries(partner_client, url)
    attach(5)
    assert _queries(partner_client, url) == few
