"""Tags are written through the API (names or ids) and through the directory's download and import."""

import csv
import io

import pytest
from django.utils import translation

from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder, Tag
from stakeholders.services import stakeholder_tags_set


def tags_of(stakeholder) -> list[str]:
    return sorted(stakeholder.tags.values_list("name", flat=True))


def test_api_sets_tags_by_name_making_the_countrys_new_ones(world, staff_api):
    Tag.objects.create(country=world.co, name="Minería")
    url = f"/api/v1/stakeholders/{world.co_mayor.pk}/"
    response = staff_api.patch(url, {"tags": ["mineria", "Energía solar"]}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["tags"]) == ["Energía solar", "Minería"]  # "mineria" is the existing tag
    assert tags_of(world.co_mayor) == ["Energía solar", "Minería"]
    assert Tag.objects.filter(country=world.co).count() == 2


def test_api_sets_tags_by_id_of_the_stakeholders_country_only(world, staff_api):
    ours = Tag.objects.create(country=world.co, name="Agua")
    theirs = Tag.objects.create(country=world.pe, name="Canon")
    url = f"/api/v1/stakeholders/{world.co_mayor.pk}/"
    assert staff_api.patch(url, {"tags": [ours.pk]}, format="json").status_code == 200
    assert tags_of(world.co_mayor) == ["Agua"]
    refused = staff_api.patch(url, {"tags": [theirs.pk]}, format="json")
    assert refused.status_code == 400 and "tags" in refused.json()["errors"]
    assert staff_api.patch(url, {"tags": [10**9]}, format="json").status_code == 400
    assert staff_api.patch(url, {"tags": [{"name": "x"}]}, format="json").status_code == 400
    assert staff_api.patch(url, {"tags": ["x" * 51]}, format="json").status_code == 400
    assert tags_of(world.co_mayor) == ["Agua"]


def test_api_leaves_tags_alone_when_not_sent_and_clears_them_with_an_empty_list(world, staff_api):
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["Agua"])
    url = f"/api/v1/stakeholders/{world.co_mayor.pk}/"
    assert staff_api.patch(url, {"acronym": "AU"}, format="json").status_code == 200
    assert tags_of(world.co_mayor) == ["Agua"]
    assert staff_api.patch(url, {"tags": []}, format="json").status_code == 200
    assert tags_of(world.co_mayor) == []


def test_api_creates_a_stakeholder_with_tags(world, staff_api):
    body = {"name": "Cooperativa Jepirachi", "sector": "community", "level": "local", "country": world.co.pk}
    response = staff_api.post("/api/v1/stakeholders/", {**body, "tags": ["Energía solar"]}, format="json")
    assert response.status_code == 201, response.content
    assert tags_of(Stakeholder.objects.get(pk=response.json()["id"])) == ["Energía solar"]


def test_partner_cannot_write_tags(world, partner_api):
    response = partner_api.patch(f"/api/v1/stakeholders/{world.co_org.pk}/", {"tags": ["x"]}, format="json")
    assert response.status_code in (403, 404)
    assert tags_of(world.co_org) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_download_carries_tags_and_imports_them_back(world, staff_client, language):
    stakeholder_tags_set(stakeholder=world.co_mayor, names=["Agua", "Minería"])
    query = {"sep": ";", "country": world.co.pk}
    content = staff_client.get("/stakeholders/export.csv", query, HTTP_ACCEPT_LANGUAGE=language).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    with translation.override(language):
        assert rows[0][-1] == str(Stakeholder._meta.get_field("tags").verbose_name).capitalize()
    mayor = next(row for row in rows if row[0] == str(world.co_mayor.pk))
    assert mayor[-1] == "Agua; Minería"

    unchanged = stakeholders_import_csv(file=content, user=world.staff_co)
    assert unchanged.ok, [str(error) for error in unchanged.errors]
    assert unchanged.updated == 0

    mayor[-1] = "agua, Energía solar"  # commas too; "agua" is the existing tag
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    report = stakeholders_import_csv(file=out.getvalue(), user=world.staff_co)
    assert report.ok and report.updated == 1, [str(error) for error in report.errors]
    assert tags_of(world.co_mayor) == ["Agua", "Energía solar"]


def test_new_rows_of_an_import_get_their_tags(world):
    Tag.objects.create(country=world.co, name="Agua")
    file = (
        "name,sector,level,country,tags\n"
        "Cooperativa Jepirachi,community,local,CO,AGUA; Energía solar\n"
        "Red Wayuu,community,local,CO,\n"
    )
    report = stakeholders_import_csv(file=file, user=world.staff_co)
    assert report.ok, [str(error) for error in report.errors]
    assert tags_of(Stakeholder.objects.get(name="Cooperativa Jepirachi")) == ["Agua", "Energía solar"]
    assert tags_of(Stakeholder.objects.get(name="Red Wayuu")) == []
    bad = stakeholders_import_csv(file="name,sector,level,country,tags\nOtra,community,local,CO," + "x" * 51 + "\n")
    assert not bad.ok and "51" not in str(bad.errors[0]) and "50" in str(bad.errors[0])
