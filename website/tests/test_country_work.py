import pytest
from django.urls import reverse

from coalitions.models import Coalition, Initiative, LearningNote, Membership, Outcome
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


def publish(world):
    for row in (world.co_initiative, world.co_coalition, world.co_outcome):
        row.is_public = True
        row.save()


def test_the_country_page_is_public_and_shows_public_initiatives_coalitions_and_member_organisations(client, world):
    publish(world)
    response = client.get("/work/co/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Comunidades Energéticas" in content
    assert "Coalición La Guajira" in content
    assert "Fundación Energía Wayuu" in content and "Alcaldía de Uribia" in content
    assert "Mayor funds solar" in content


def test_a_person_or_a_former_member_is_not_listed_among_the_members(client, world):
    publish(world)
    person = Stakeholder.objects.create(
        country=world.co, name="María Epieyú", kind="person", sector="community", level="local"
    )
    Membership.objects.create(coalition=world.co_coalition, stakeholder=person, joined_on="2026-01-15")
    Membership.objects.filter(stakeholder=world.co_mayor).update(left_on="2026-01-20")
    content = client.get("/work/co/").content.decode()
    assert "María Epieyú" not in content
    assert "Alcaldía de Uribia" not in content
    assert "Fundación Energía Wayuu" in content


def test_an_outcome_or_note_is_shown_only_when_it_and_its_coalition_are_public(client, world):
    publish(world)
    note = LearningNote.objects.create(
        title="Counterpart funds unlock programmes", body="What we tried", coalition=world.co_coalition, is_public=True
    )
    assert "Counterpart funds unlock programmes" in client.get("/work/co/").content.decode()
    Coalition.objects.filter(pk=world.co_coalition.pk).update(is_public=False)
    content = client.get("/work/co/").content.decode()
    assert note.title not in content
    assert "Mayor funds solar" not in content


def test_a_public_coalition_of_a_hidden_initiative_is_not_shown(client, world):
    publish(world)
    Initiative.objects.filter(pk=world.co_initiative.pk).update(is_public=False)
    content = client.get("/work/co/").content.decode()
    assert "Coalición La Guajira" not in content
    assert "Mayor funds solar" not in content


def test_a_note_of_a_public_initiative_without_coalition_is_shown(client, world):
    publish(world)
    LearningNote.objects.create(
        title="Follow the money", body="Entry points", initiative=world.co_initiative, is_public=True
    )
    assert "Follow the money" in client.get("/work/co/").content.decode()


def test_nothing_unpublished_personal_or_assessed_appears(client, world):
    publish(world)
    world.co_assessment.rationale = "Secret political judgement"
    world.co_assessment.save()
    content = client.get("/work/co/").content.decode()
    for private in ("Ana Pérez", "ana@example.org", "Secret political judgement", "Plan de Desarrollo Moquegua"):
        assert private not in content


def test_a_country_with_nothing_public_says_so_and_invites_contact(client, world):
    response = client.get("/work/pe/")
    content = response.content.decode()
    assert "Plan de Desarrollo Moquegua" not in content
    assert "Nothing has been published about this country yet" in content
    assert "Check back soon" not in content
    assert f'href="{reverse("explorers_network:contact")}"' in content


def test_the_country_page_in_spanish_names_the_country_in_spanish(client, world):
    content = client.get("/work/pe/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in content
    assert "Nuestro trabajo en Perú" in content
    assert "Filipinas" in content  # the public navigation


def test_an_unknown_country_is_a_404(client, world):
    assert client.get("/work/zz/").status_code == 404


@pytest.mark.parametrize("extra", [1, 6])
def test_the_page_runs_a_constant_number_of_queries(client, world, extra, django_assert_num_queries):
    publish(world)
    for number in range(extra):
        initiative = Initiative.objects.create(
            country=world.co, level="national", name=f"I{number}", shared_objective="x", is_public=True
        )
        initiative.regions.add(world.guajira)
        coalition = Coalition.objects.create(
            initiative=initiative, name=f"C{number}", level="local", shared_goal="y", is_public=True
        )
        coalition.regions.add(world.guajira)
        Membership.objects.create(coalition=coalition, stakeholder=world.co_org, joined_on="2026-01-15")
        Outcome.objects.create(coalition=coalition, description=f"O{number}", observed_on="2026-01-15", is_public=True)
        LearningNote.objects.create(title=f"N{number}", body="z", coalition=coalition, is_public=True)
    # The navigation's countries, the country, initiatives, their regions, coalitions, their
    # regions, members, outcomes, learning notes.
    with django_assert_num_queries(9):
        assert client.get("/work/co/").status_code == 200
