"""The stakeholder list's filters over assessments: staff find actors by their latest stance, partners learn nothing."""

from coalitions.models import Assessment, Initiative

LIST = "/api/v1/stakeholders/"


def answer(client, **params) -> tuple[int, dict]:
    response = client.get(LIST, params)
    return response.status_code, response.json()


def ids(client, **params) -> list[int]:
    status, body = answer(client, **params)
    assert status == 200, body
    return [row["id"] for row in body["results"]]


def test_staff_find_actors_by_their_latest_stance_in_an_initiative(staff_api, world):
    Assessment.objects.filter(pk=world.co_assessment.pk).update(stance=Assessment.Stance.CHAMPION)

    assert ids(staff_api, initiative=world.co_initiative.pk, stance=2) == [world.co_mayor.pk]
    assert ids(staff_api, initiative=world.co_initiative.pk) == [world.co_mayor.pk]
    assert ids(staff_api, stance=2) == [world.co_mayor.pk]
    assert ids(staff_api, initiative=world.pe_initiative.pk, stance=2) == []


def test_a_partner_learns_no_stance_through_the_initiative_and_stance_filters(partner_api, world):
    """Assessments are staff-only: the filters read the partner's visible assessments, none, so any value
    answers as an initiative that does not exist. The mayor is a member the partner sees; its stance is not."""
    Assessment.objects.filter(pk=world.co_assessment.pk).update(stance=Assessment.Stance.CHAMPION)
    Initiative.objects.filter(pk=world.co_initiative.pk).update(is_public=True)
    missing = Initiative.objects.order_by("-pk").first().pk + 1000

    assert partner_api.get("/api/v1/assessments/").status_code == 403
    assert world.co_mayor.pk in ids(partner_api)
    nothing = answer(partner_api, initiative=missing, stance=2)
    assert nothing[0] == 200 and nothing[1]["results"] == []
    assert answer(partner_api, initiative=world.co_initiative.pk, stance=2) == nothing
    assert answer(partner_api, initiative=world.co_initiative.pk) == answer(partner_api, initiative=missing)
    assert answer(partner_api, stance=2) == answer(partner_api, stance=-2)  # no actor holds -2
    assert answer(partner_api, stance=0) == answer(partner_api, stance=-2)


def test_another_countrys_partner_learns_nothing_either(other_partner_api, world):
    missing = Initiative.objects.order_by("-pk").first().pk + 1000
    assert answer(other_partner_api, initiative=world.pe_initiative.pk) == answer(other_partner_api, initiative=missing)
    assert answer(other_partner_api, initiative=world.co_initiative.pk) == answer(other_partner_api, initiative=missing)
