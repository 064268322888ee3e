"""The portal accepts what the API accepts from a partner and refuses what it refuses, with the same rules."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coalitions.api.serializers import EngagementSerializer, OutcomeSerializer
from coalitions.forms import OutcomeForm
from coalitions.models import Commitment, Engagement, Outcome
from core.access import PARTNER_MAY_UPDATE
from notifications.models import Kind, Notification
from portal.forms import CommitmentProgressForm, EngagementLogForm


def test_a_partner_may_change_in_the_portal_exactly_the_fields_it_may_change_in_the_api():
    assert set(CommitmentProgressForm._meta.fields) == PARTNER_MAY_UPDATE["commitment"]


def _writable(serializer_class) -> set[str]:
    return {name for name, field in serializer_class().fields.items() if not field.read_only}


def test_a_partner_sees_in_the_portal_s_forms_no_field_the_api_would_not_let_it_write(world):
    partner = world.partner_co
    engagement = EngagementLogForm(user=partner, coalition=world.co_coalition, instance=Engagement())
    outcome = OutcomeForm(user=partner, instance=Outcome(coalition=world.co_coalition))
    assert set(engagement.fields) <= _writable(EngagementSerializer)
    assert set(outcome.fields) <= _writable(OutcomeSerializer)


def test_a_partner_cannot_publish_an_outcome_on_the_public_site(world, partner_client):
    url = reverse("portal:outcome_create", kwargs={"pk": world.co_coalition.pk})
    body = {"description": "Tariff agreed", "change_type": "policy", "observed_on": "2026-02-03", "is_public": "on"}
    assert partner_client.post(url, body).status_code == 302
    assert Outcome.objects.get(description="Tariff agreed").is_public is False


def test_other_fields_sent_to_a_commitment_are_not_changed(partner_client, world):
    url = reverse("portal:commitment_update", kwargs={"pk": world.co_commitment.pk})
    response = partner_client.post(url, {"status": "in_progress", "evidence": "", "description": "Rewritten"})
    assert response.status_code == 302
    world.co_commitment.refresh_from_db()
    assert (world.co_commitment.status, world.co_commitment.description) == ("in_progress", "Map rooftops")


def _engagement(world, **changes) -> dict:
    return {"title": "Taller", "kind": "workshop", "occurred_on": "2026-02-03", **changes}


# (portal page, its URL kwargs, the body, the API path, the API body): each a write a rule refuses.
REFUSED = {
    "follow-up before the engagement": (
        "engagement_create",
        lambda w: {"pk": w.co_coalition.pk},
        lambda w: _engagement(w, follow_up_on="2026-02-01", follow_up="Call back"),
        "engagements",
        lambda w: {**_engagement(w, follow_up_on="2026-02-01", follow_up="Call back"), "coalition": w.co_coalition.pk},
    ),
    "a participant out of sight": (
        "engagement_create",
        lambda w: {"pk": w.co_coalition.pk},
        lambda w: _engagement(w, participants=[w.pe_company.pk]),
        "engagements",
        lambda w: {**_engagement(w, participants=[w.pe_company.pk]), "coalition": w.co_coalition.pk},
    ),
    "an outcome's evidence that is no link": (
        "outcome_create",
        lambda w: {"pk": w.co_coalition.pk},
        lambda w: {
            "description": "Changed",
            "change_type": "policy",
            "observed_on": "2026-02-04",
            "evidence_url": "no",
        },
        "outcomes",
        lambda w: {
            "description": "Changed",
            "change_type": "policy",
            "observed_on": "2026-02-04",
            "evidence_url": "no",
            "coalition": w.co_coalition.pk,
        },
    ),
    "an outcome whose actor is out of sight": (
        "outcome_create",
        lambda w: {"pk": w.co_coalition.pk},
        lambda w: {
            "description": "Changed",
            "change_type": "policy",
            "observed_on": "2026-02-04",
            "actors": [w.pe_company.pk],
        },
        "outcomes",
        lambda w: {
            "description": "Changed",
            "change_type": "policy",
            "observed_on": "2026-02-04",
            "actors": [w.pe_company.pk],
            "coalition": w.co_coalition.pk,
        },
    ),
    "a status that does not exist": (
        "commitment_update",
        lambda w: {"pk": w.co_commitment.pk},
        lambda w: {"status": "finished", "evidence": ""},
        "commitments",
        lambda w: {"status": "finished"},
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_what_the_api_refuses_the_portal_refuses(world, partner_client, case):
    page, kwargs, body, api_path, api_body = REFUSED[case]
    states = [list(model.objects.values_list("pk", "updated_at")) for model in (Commitment, Engagement, Outcome)]
    response = partner_client.post(reverse(f"portal:{page}", kwargs=kwargs(world)), body(world))
    assert response.status_code == 200 and response.context["form"].errors
    api = APIClient()
    api.force_authenticate(world.partner_co)
    if page == "commitment_update":
        answer = api.patch(f"/api/v1/{api_path}/{world.co_commitment.pk}/", api_body(world), format="json")
    else:
        answer = api.post(f"/api/v1/{api_path}/", api_body(world), format="json")
    assert answer.status_code == 400, answer.content
    assert [
        list(model.objects.values_list("pk", "updated_at")) for model in (Commitment, Engagement, Outcome)
    ] == states


def test_what_the_api_accepts_the_portal_accepts(world, partner_client):
    body = _engagement(world, follow_up_on="2026-02-10", follow_up="Send the minutes", participants=[world.co_mayor.pk])
    response = partner_client.post(reverse("portal:engagement_create", kwargs={"pk": world.co_coalition.pk}), body)
    assert response.status_code == 302
    api = APIClient()
    api.force_authenticate(world.partner_co)
    answer = api.post("/api/v1/engagements/", {**body, "coalition": world.co_coalition.pk}, format="json")
    assert answer.status_code == 201, answer.content
    portal, through_api = Engagement.objects.filter(title="Taller").order_by("pk")
    assert [(e.follow_up_on, e.recorded_by, list(e.participants.all())) for e in (portal, through_api)] == [
        (through_api.follow_up_on, world.partner_co, [world.co_mayor])
    ] * 2


def test_a_partner_write_in_the_portal_tells_the_country_team(
    world, partner_client, django_capture_on_commit_callbacks
):
    url = reverse("portal:commitment_update", kwargs={"pk": world.co_commitment.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(url, {"status": "done", "evidence": "Report"})
    assert response.status_code == 302
    notified = Notification.objects.filter(kind=Kind.PARTNER_WRITE)
    assert list(notified.values_list("user__username", flat=True)) == ["staff-co"]
