"""The nested conveniences: an initiative's actor map and a coalition's health."""

import datetime

from coalitions.models import Assessment


def test_initiative_map_has_the_latest_assessment_per_stakeholder(staff_api, world, django_assert_num_queries):
    newer = Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 3, 1),
        power=4,
        capabilities=3,
        interest=5,
        stance=2,
    )
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 1, 1),
        power=2,
        capabilities=2,
        interest=5,
        stance=1,
    )
    with django_assert_num_queries(
        4
    ):  # the initiative (lead joined; regions and objectives prefetched), the assessments
        response = staff_api.get(f"/api/v1/initiatives/{world.co_initiative.pk}/map/")
    assert response.status_code == 200
    rows = response.json()
    assert {row["stakeholder"]: row["id"] for row in rows}[world.co_mayor.pk] == newer.pk
    assert len(rows) == 2
    assert rows[0]["stakeholder_brief"]["name"]


def test_initiative_map_is_staff_only(partner_api, world):
    world.co_initiative.is_public = True
    world.co_initiative.save()
    assert partner_api.get(f"/api/v1/initiatives/{world.co_initiative.pk}/").status_code == 200
    assert partner_api.get(f"/api/v1/initiatives/{world.co_initiative.pk}/map/").status_code == 404


def test_coalition_health_for_a_member_partner(partner_api, other_partner_api, world):
    response = partner_api.get(f"/api/v1/coalitions/{world.co_coalition.pk}/health/")
    assert response.status_code == 200
    assert response.json() == {
        "members_active": 2,
        "sectors_represented": 2,
        "engagements_last_90_days": response.json()["engagements_last_90_days"],
        "commitments_done": 0,
        "commitments_overdue": 0,
        "commitments_open": 1,
    }
    assert other_partner_api.get(f"/api/v1/coalitions/{world.co_coalition.pk}/health/").status_code == 404
