import pytest

pytestmark = pytest.mark.django_db


def publish(world):
    world.co_initiative.is_public = True
    world.co_initiative.save()
    world.co_coalition.is_public = True
    world.co_coalition.save()


def test_the_country_page_is_public_and_shows_public_initiatives_and_coalitions(client, world):
    publish(world)
    response = client.get("/work/co/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Comunidades Energéticas" in content
    assert "Coalición La Guajira" in content
    assert "2 member organisations" in content


def test_nothing_unpublished_personal_or_assessed_appears(client, world):
    publish(world)
    world.co_assessment.rationale = "Secret political judgement"
    world.co_assessment.save()
    content = client.get("/work/co/").content.decode()
    for private in ("Ana Pérez", "ana@example.org", "Secret political judgement", "Plan de Desarrollo Moquegua"):
        assert private not in content


def test_a_country_with_nothing_public_says_so(client, world):
    content = client.get("/work/pe/").content.decode()
    assert "Plan de Desarrollo Moquegua" not in content
    assert "exploring where the program can add value" in content


def test_an_unknown_country_is_a_404(client, world):
    assert client.get("/work/zz/").status_code == 404


@pytest.mark.parametrize("extra", [1, 6])
def test_the_page_runs_a_constant_number_of_queries(client, world, extra, django_assert_num_queries):
    from coalitions.models import Coalition, Initiative

    publish(world)
    for number in range(extra):
        initiative = Initiative.objects.create(
            country=world.co, level="national", name=f"I{number}", shared_objective="x", is_public=True
        )
        Coalition.objects.create(
            initiative=initiative, name=f"C{number}", level="local", shared_goal="y", is_public=True
        )
    with django_assert_num_queries(5):
        assert client.get("/work/co/").status_code == 200
