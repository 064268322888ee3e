"""The writes the staff pages refused and the API accepted, with a staff member's token: refused now, by the model."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from coalitions.models import Engagement
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_token_api(world) -> APIClient:
    _, token = api_token_create(user=world.staff_co)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def engagement(world, **values) -> dict:
    return {"occurred_on": "2026-02-03", "kind": "meeting", "title": "Mesa técnica", **values}


def test_an_engagement_whose_coalition_belongs_to_another_initiative_and_country_is_refused(staff_token_api, world):
    # The Peruvian coalition under Colombia's initiative: it would show on (and be editable from) that initiative.
    body = engagement(world, coalition=world.pe_coalition.pk, initiative=world.co_initiative.pk)
    response = staff_token_api.post("/api/v1/engagements/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"initiative": ["This coalition belongs to another initiative."]}
    assert not Engagement.objects.filter(title="Mesa técnica").exists()


def test_an_engagement_moved_under_another_initiative_is_refused(staff_token_api, world):
    url = f"/api/v1/engagements/{world.co_engagement.pk}/"
    response = staff_token_api.patch(url, {"initiative": world.pe_initiative.pk}, format="json")
    assert response.status_code == 400
    world.co_engagement.refresh_from_db()
    assert world.co_engagement.initiative_id is None


def test_a_follow_up_due_before_the_meeting_is_refused(staff_token_api, world):
    body = engagement(world, coalition=world.co_coalition.pk, follow_up_on="2026-02-01")
    response = staff_token_api.post("/api/v1/engagements/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["The follow-up cannot be due before the engagement took place."]
    }
    assert not Engagement.objects.filter(title="Mesa técnica").exists()


def test_a_stakeholder_in_a_region_of_another_country_is_refused(staff_token_api, world):
    body = {"name": "Veeduría Uribia", "sector": "civil_society", "level": "local", "country": world.co.pk}
    response = staff_token_api.post("/api/v1/stakeholders/", {**body, "regions": [world.moquegua.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"regions": ["These regions are not in Colombia: Moquegua."]}
    assert not Stakeholder.objects.filter(name="Veeduría Uribia").exists()


def test_moving_a_stakeholder_to_another_country_keeps_its_regions_in_the_rule(staff_token_api, world):
    """A change that sends no regions is checked against the regions saved: Guajira is not in Peru."""
    world.co_org.regions.set([world.guajira])
    world.staff_co.country_teams.add(world.pe)
    response = staff_token_api.patch(
        f"/api/v1/stakeholders/{world.co_org.pk}/", {"country": world.pe.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"regions": ["These regions are not in Peru: La Guajira."]}


def test_the_rules_message_is_translated(staff_token_api, world):
    body = engagement(world, coalition=world.co_coalition.pk, follow_up_on="2026-02-01")
    response = staff_token_api.post("/api/v1/engagements/", body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["errors"]["non_field_errors"] == [
        "El seguimiento no puede vencer antes de la fecha del encuentro."
    ]
