"""The engagement list's participant filter: a participant the user may not see is no participant at all."""

from stakeholders.models import Stakeholder

LIST = "/api/v1/engagements/"


def answer(client, **params) -> tuple[int, dict]:
    response = client.get(LIST, params)
    return response.status_code, response.json()


def test_a_partner_cannot_find_a_participant_it_may_not_see(partner_api, staff_api, world):
    # The governor's office sits in none of the partner's coalitions: the partner may not see it.
    outsider = Stakeholder.objects.create(
        country=world.co, name="Gobernación de La Guajira", sector="subnational_government", level="subnational"
    )
    world.co_engagement.participants.add(outsider, world.co_mayor)
    missing = Stakeholder.objects.order_by("-pk").first().pk + 1000

    staff = answer(staff_api, participant=outsider.pk)
    assert [row["id"] for row in staff[1]["results"]] == [world.co_engagement.pk]
    nothing = answer(partner_api, participant=missing)
    assert nothing[0] == 200 and nothing[1]["results"] == []
    assert answer(partner_api, participant=outsider.pk) == nothing
    # A participant the partner sees (a fellow member) finds the engagement as before.
    _status, body = answer(partner_api, participant=world.co_mayor.pk)
    assert [row["id"] for row in body["results"]] == [world.co_engagement.pk]


def test_another_countrys_partner_cannot_find_colombian_participants(other_partner_api, world):
    world.pe_engagement.participants.add(world.pe_company)
    world.co_engagement.participants.add(world.co_mayor)
    missing = Stakeholder.objects.order_by("-pk").first().pk + 1000
    assert answer(other_partner_api, participant=world.co_mayor.pk) == answer(other_partner_api, participant=missing)
    _status, body = answer(other_partner_api, participant=world.pe_company.pk)
    assert [row["id"] for row in body["results"]] == [world.pe_engagement.pk]
