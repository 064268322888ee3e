"""The attachments endpoint: who may attach files to which record, and who may fetch them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from attachments.models import Attachment
from attachments.services import attachments_create
from coalitions.models import Engagement
from core.testing import response_body

from .conftest import EXECUTABLE, PDF

pytestmark = pytest.mark.django_db


def post(client, label, pk, name="acta.pdf", data=PDF):
    body = {"target_type": label, "target_id": pk, "kind": "agreement", "file": SimpleUploadedFile(name, data)}
    return client.post("/api/v1/attachments/", body, format="multipart")


def test_a_partner_attaches_evidence_to_the_commitment_it_owns(partner_api, world):
    response = post(partner_api, "coalitions.commitment", world.co_commitment.pk)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert attachment.target == world.co_commitment and attachment.uploaded_by == world.partner_co
    assert response.json()["mime_type"] == "application/pdf"


def test_a_partner_attaches_to_the_engagements_it_recorded_not_to_others(partner_api, world):
    own = Engagement.objects.create(
        coalition=world.co_coalition,
        occurred_on="2026-02-03",
        kind="workshop",
        title="Taller",
        recorded_by=world.partner_co,
    )
    assert post(partner_api, "coalitions.engagement", own.pk).status_code == 201
    assert post(partner_api, "coalitions.engagement", world.co_engagement.pk).status_code == 403  # staff recorded it
    assert post(partner_api, "coalitions.learningnote", 1).status_code == 400  # none visible: no such record
    assert post(partner_api, "stakeholders.stakeholder", world.co_org.pk).status_code == 403  # sees, may not attach
    assert Attachment.objects.count() == 1


def test_a_partner_of_another_coalition_attaches_nothing_and_sees_nothing(other_partner_api, world):
    attachment = attachments_create(
        target=world.co_commitment, uploads=[SimpleUploadedFile("a.pdf", PDF)], kind="report", title="", user=None
    )[0]
    assert post(other_partner_api, "coalitions.commitment", world.co_commitment.pk).status_code == 400
    assert other_partner_api.get(f"/api/v1/attachments/{attachment.pk}/download/").status_code == 404
    assert other_partner_api.get("/api/v1/attachments/").json()["count"] == 0


def test_the_partner_downloads_what_it_sees(partner_api, world):
    attachment = attachments_create(
        target=world.co_commitment, uploads=[SimpleUploadedFile("a.pdf", PDF)], kind="report", title="", user=None
    )[0]
    response = partner_api.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    assert response_body(response) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_renamed_executable_and_a_file_over_the_limit_are_400(partner_api, world, settings):
    response = post(partner_api, "coalitions.commitment", world.co_commitment.pk, name="acta.pdf", data=EXECUTABLE)
    assert response.status_code == 400
    settings.ATTACHMENT_MAX_BYTES = 100
    response = post(partner_api, "coalitions.commitment", world.co_commitment.pk, name="big.txt", data=b"a" * 5000)
    assert response.status_code == 400
    assert "big.txt" in str(response.json())
    assert not Attachment.objects.exists()


def test_json_is_refused_here(partner_api, world):
    response = partner_api.post(
        "/api/v1/attachments/", {"target_type": "coalitions.commitment", "target_id": 1}, format="json"
    )
    assert response.status_code == 415


def test_anonymous_gets_401():
    assert APIClient().get("/api/v1/attachments/").status_code == 401
