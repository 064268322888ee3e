"""Nothing that is not explicitly public reaches a public page: generated from the models' public flags.

Every model with an `is_public` field (found in the app registry) gets a public and a hidden row
with text of its own; the hidden one must appear on no public page (the website's pages and the
open pages of `core/tests/test_staff_gate.py`, found from the URL resolver, read anonymously), the
public one on its country's page. A model given an `is_public` flag fails here until it has a row in
`BUILDERS`. People (contacts, explorers, a person who is a member) and assessments never appear.
"""

import datetime
import uuid

import pytest
from django.apps import apps
from django.urls import reverse

from coalitions.models import Coalition, Initiative, LearningNote, Membership, Outcome
from core.tests.test_staff_gate import OPEN_PAGES, SAMPLE_VALUES, _pages
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)


def models_with_a_public_flag() -> list[str]:
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if any(field.name == "is_public" for field in model._meta.get_fields())
    )


def public_pages(country_codes: list[str]) -> list[str]:
    """The URL of every public page: the website's and the open pages, every country's page."""
    urls = []
    for name, pattern in _pages():
        if not (name or "").startswith("website:") and name not in OPEN_PAGES:
            continue
        converters = pattern.pattern.converters
        if name == "website:country_work":
            urls += [reverse(name, kwargs={"code": code.lower()}) for code in country_codes]
        else:
            kwargs = {key: SAMPLE_VALUES[type(converter).__name__] for key, converter in converters.items()}
            urls.append(reverse(name, kwargs=kwargs))
    return urls


def crawl(client, country_codes: list[str]) -> dict[str, str]:
    """Each public page as an anonymous visitor sees it (a redirect to sign in says nothing)."""
    return {url: client.get(url).content.decode() for url in public_pages(country_codes)}


# Each builder makes one row of its model carrying `text`, public or not, inside parents that are
# all public, so only the row's own flag decides; it returns the row's country.
def build_initiative(world, text: str, public: bool):
    Initiative.objects.create(country=world.co, level="national", name=text, shared_objective=text, is_public=public)
    return world.co


def _public_initiative(world):
    return Initiative.objects.create(
        country=world.pe,
        level="subnational",
        name=f"Initiative {uuid.uuid4().hex}",
        shared_objective="x",
        is_public=True,
    )


def build_coalition(world, text: str, public: bool):
    Coalition.objects.create(
        initiative=_public_initiative(world), name=text, level="local", shared_goal=text, is_public=public
    )
    return world.pe


def _public_coalition(world):
    return Coalition.objects.create(
        initiative=_public_initiative(world), name=f"Coalition {uuid.uuid4().hex}", level="local", shared_goal="y",
        is_public=True,
    )  # fmt: skip


def build_outcome(world, text: str, public: bool):
    Outcome.objects.create(
        coalition=_public_coalition(world), description=text, significance=text, observed_on=DAY, is_public=public
    )
    return world.pe


def build_learning_note(world, text: str, public: bool):
    LearningNote.objects.create(title=text, body=text, coalition=_public_coalition(world), is_public=public)
    return world.pe


BUILDERS = {
    "coalitions.Initiative": build_initiative,
    "coalitions.Coalition": build_coalition,
    "coalitions.Outcome": build_outcome,
    "coalitions.LearningNote": build_learning_note,
}


def test_every_model_with_a_public_flag_has_a_builder():
    assert models_with_a_public_flag() == sorted(BUILDERS)


def test_the_public_pages_are_found():
    urls = public_pages(["CO", "PE", "PH"])
    assert {"/", "/about/", "/work/co/", "/work/ph/", "/contact/", "/network/join/"} <= set(urls)


@pytest.mark.parametrize("label", models_with_a_public_flag())
def test_a_hidden_row_appears_on_no_public_page_and_a_public_one_on_its_country_page(label, client, world):
    public_text, hidden_text = f"PUBLIC-{uuid.uuid4().hex}", f"HIDDEN-{uuid.uuid4().hex}"
    country = BUILDERS[label](world, public_text, True)
    BUILDERS[label](world, hidden_text, False)
    pages = crawl(client, ["CO", "PE", "PH"])
    assert [url for url, content in pages.items() if hidden_text in content] == []
    country_page = reverse("website:country_work", kwargs={"code": country.code.lower()})
    assert public_text in pages[country_page]


def test_no_person_and_no_assessment_appears_even_with_everything_public(client, world):
    from explorers_network.services import explorer_join

    for model in (Initiative, Coalition, Outcome, LearningNote):
        model.objects.update(is_public=True)
    LearningNote.objects.create(
        title="Shared lesson", body="What changed", coalition=world.co_coalition, is_public=True
    )
    person = Stakeholder.objects.create(
        country=world.co, name="Rosa Ipuana", kind="person", sector="community", level="local"
    )
    Membership.objects.create(coalition=world.co_coalition, stakeholder=person, joined_on=DAY)
    world.co_outcome.actors.add(person)
    world.co_assessment.rationale = "Opposes the coalition in private"
    world.co_assessment.save()
    explorer_join(name="Carmen Explorer", email="carmen@example.org", country="CO", language="es")
    author = world.staff_co
    author.first_name, author.last_name = "Staff", "Author"
    author.save()
    LearningNote.objects.filter(title="Shared lesson").update(author=author)
    pages = crawl(client, ["CO", "PE", "PH"])
    assert "Shared lesson" in pages["/work/co/"] and "Mayor funds solar" in pages["/"]
    private = [
        "Ana Pérez", "ana@example.org", "Luis Rojas", "luis@example.org", "Rosa Ipuana", "Carmen Explorer",
        "carmen@example.org", "Opposes the coalition in private", "Staff Author", "staff-co",
    ]  # fmt: skip
    assert [(url, text) for url, content in pages.items() for text in private if text in content] == []
