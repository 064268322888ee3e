"""Free tags on stakeholders: typed on the form (comma-separated, new ones made in the stakeholder's
country), one tag per name and country whatever the case or accents, shown on the stakeholder's page and
the directory, and filtered with `?tag=` on the directory and the API."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.validation import full_clean
from stakeholders.models import Stakeholder, Tag
from stakeholders.services import stakeholder_tags_set, tag_names

pytestmark = pytest.mark.django_db


def form_data(world, stakeholder, tags):
    return {
        "name": stakeholder.name,
        "kind": stakeholder.kind,
        "sector": stakeholder.sector,
        "level": stakeholder.level,
        "country": stakeholder.country_id,
        "tag_names": tags,
    }


def test_the_form_creates_tags_in_the_stakeholders_country(world, staff_client):
    url = reverse("stakeholders:stakeholder_edit", kwargs={"pk": world.co_mayor.pk})
    response = staff_client.post(url, form_data(world, world.co_mayor, " Minería ,energía  solar, MINERÍA,, "))
    assert response.status_code == 302
    assert [(tag.name, tag.country) for tag in world.co_mayor.tags.all()] == [
        ("energía solar", world.co),
        ("Minería", world.co),
    ]
    assert 'value="energía solar, Minería"' in staff_client.get(url).content.decode()
    # Typed again, differently: the same tags, none new; a tag left out is taken off.
    staff_client.post(url, form_data(world, world.co_mayor, "mineria"))
    assert list(world.co_mayor.tags.values_list("name", flat=True)) == ["Minería"]
    assert Tag.objects.count() == 2


def test_names_are_nfc_and_one_per_country_whatever_the_case_or_accents(world):
    decomposed = unicodedata.normalize("NFD", "Minería")
    assert tag_names(f"{decomposed}, mineria, Otra") == ["Minería", "Otra"]
    stakeholder_tags_set(stakeholder=world.co_mayor, names=[decomposed])
    tag = Tag.objects.get()
    assert tag.name == unicodedata.normalize("NFC", "Minería") and tag.key == "mineria"
    with pytest.raises(ValidationError, match="This country already has this tag"):
        full_clean(Tag(country=world.co, name="MINERIA"))
    full_clean(Tag(country=world.pe, name="Minería"))  # another country's tag of the same name is its own


def test_a_stakeholder_takes_only_its_countrys_tags(world):
    peruvian = Tag.objects.create(country=world.pe, name="Canon")
    with pytest.raises(ValidationError, match="Tags must be of the stakeholder's country"):
        full_clean(world.co_mayor, m2m={"tags": [peruvian]})


def test_the_page_and_the_directory_show_the_tags_and_filter_by_them(world, staff_client):
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["Minería"])
    stakeholder_tags_set(stakeholder=world.pe_company, names=["minería", "Canon"])
    detail = staff_client.get(world.co_mayor.get_absolute_url()).content.decode()
    assert 'href="/stakeholders/?tag=Miner%C3%ADa">Minería</a>' in detail
    directory = staff_client.get("/stakeholders/")
    assert ">Canon</a>" in directory.content.decode()
    filtered = staff_client.get("/stakeholders/?tag=MINERIA")
    assert list(filtered.context["page"].object_list) == [world.co_mayor, world.pe_company]
    assert list(staff_client.get("/stakeholders/?tag=canon").context["page"].object_list) == [world.pe_company]
    assert list(staff_client.get("/stakeholders/?tag=nothing").context["page"].object_list) == []


def test_the_directory_with_tags_costs_constant_queries(world, staff_client, django_assert_max_num_queries):
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["Minería"])
    staff_client.get("/stakeholders/")
    with django_assert_max_num_queries(60) as first:
        staff_client.get("/stakeholders/?sort=updated")
    budget = len(first.captured_queries)  # read now: the next request resets the connection's log
    for index in range(5):
        row = Stakeholder.objects.create(country=world.co, name=f"Org {index}", sector="private", level="local")
        stakeholder_tags_set(stakeholder=row, names=[f"T{index}", "Minería"])
    # Both counted with the total kept (core.short_tables.kept_count), as the first was: the writes dropped it.
    staff_client.get("/stakeholders/")
    with django_assert_max_num_queries(budget):
        staff_client.get("/stakeholders/?sort=updated&page=1")


def test_the_api_lists_and_filters_by_tag(world, staff_api, partner_api):
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["Minería", "Alcaldías"])
    stakeholder_tags_set(stakeholder=world.pe_company, names=["Minería"])
    rows = staff_api.get("/api/v1/stakeholders/?tag=mineria").json()["results"]
    assert {row["id"]: row["tags"] for row in rows} == {
        world.co_mayor.pk: ["Alcaldías", "Minería"],
        world.pe_company.pk: ["Minería"],
    }
    assert staff_api.get("/api/v1/stakeholders/?tag=alcaldias").json()["count"] == 1
    # A partner sees the tags of the stakeholders it sees (a member of its coalition), and filters by them.
    rows = partner_api.get("/api/v1/stakeholders/?tag=Minería").json()["results"]
    assert [(row["id"], row["tags"]) for row in rows] == [(world.co_mayor.pk, ["Alcaldías", "Minería"])]


def test_the_api_list_keeps_its_fast_rows_with_the_tags(world, staff_api):
    from core.api.rows import row_plan
    from stakeholders.api.serializers import StakeholderSerializer

    plan = row_plan(StakeholderSerializer)
    assert plan is not None and plan.many_slugs == {"tags": "name"}
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["b", "Á", "c"])
    row = staff_api.get(f"/api/v1/stakeholders/{world.co_mayor.pk}/").json()
    listed = next(r for r in staff_api.get("/api/v1/stakeholders/").json()["results"] if r["id"] == world.co_mayor.pk)
    assert listed["tags"] == row["tags"] == ["Á", "b", "c"]
