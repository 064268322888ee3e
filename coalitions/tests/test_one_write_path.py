"""One write path per change: the API creates coalitions and logs engagements through the services the pages use."""

from unittest import mock

import pytest

from coalitions import services
from coalitions.models import Coalition, Engagement

pytestmark = pytest.mark.django_db


def test_the_api_logs_an_engagement_through_the_service(staff_api, world):
    body = {
        "coalition": world.co_coalition.pk,
        "occurred_on": "2026-02-03",
        "kind": "workshop",
        "title": "Taller Manaure",
        "participants": [world.co_org.pk, world.co_mayor.pk],
    }
    with mock.patch("coalitions.api.serializers.engagement_log", wraps=services.engagement_log) as logged:
        response = staff_api.post("/api/v1/engagements/", body, format="json")
    assert response.status_code == 201, response.content
    assert logged.call_count == 1
    engagement = Engagement.objects.get(title="Taller Manaure")
    assert engagement.recorded_by == world.staff_co
    assert set(engagement.participants.all()) == {world.co_org, world.co_mayor}


def test_a_change_without_participants_keeps_them(staff_api, world):
    world.co_engagement.participants.set([world.co_org])
    with mock.patch("coalitions.api.serializers.engagement_log", wraps=services.engagement_log) as logged:
        response = staff_api.patch(f"/api/v1/engagements/{world.co_engagement.pk}/", {"summary": "Acuerdos"})
    assert response.status_code == 200, response.content
    assert logged.call_count == 1
    assert list(world.co_engagement.participants.all()) == [world.co_org]


def test_the_api_creates_a_coalition_through_the_service(staff_api, world):
    body = {
        "initiative": world.co_initiative.pk,
        "name": "Coalición Cesar",
        "level": "local",
        "shared_goal": "Jobs after coal",
        "regions": [world.guajira.pk],
    }
    with mock.patch("coalitions.api.serializers.coalition_create", wraps=services.coalition_create) as created:
        response = staff_api.post("/api/v1/coalitions/", body, format="json")
    assert response.status_code == 201, response.content
    assert created.call_count == 1
    assert list(Coalition.objects.get(name="Coalición Cesar").regions.all()) == [world.guajira]


def test_the_service_refuses_a_coalition_breaking_a_rule_and_writes_no_member_either(world):
    from django.core.exceptions import ValidationError

    fields = {"initiative": world.co_initiative, "name": "Coalición Cesar", "level": "local", "shared_goal": "x"}
    with pytest.raises(ValidationError):
        services.coalition_create(fields=fields, regions=[world.moquegua], members=[world.co_org])
    assert not Coalition.objects.filter(name="Coalición Cesar").exists()
    assert not world.co_org.memberships.exclude(coalition=world.co_coalition).exists()
