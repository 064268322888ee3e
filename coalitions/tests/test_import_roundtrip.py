"""Every coalition table's download imports back: unchanged it changes nothing, with one cell edited it
changes exactly that, in either language (generated from the export registry)."""

import csv
import io

import pytest
from django.utils import translation

from coalitions.exports import TABLES
from coalitions.importers import table_import
from core.tests.api_resources import make_rows

CASES = [(kind, language) for kind in TABLES for language in ("en", "es")]


def download(client, kind: str, language: str, **query) -> bytes:
    response = client.get(f"/exports/{kind}/", query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.content


def edited(content: bytes, column: int, value: str, *, separator: str = ",") -> tuple[bytes, int]:
    """The file with the cell of `column` in its first data row set to `value`; and that row's id."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))
    rows[1][column] = value
    out = io.StringIO()
    csv.writer(out, delimiter=separator).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode(), int(rows[1][0])


def one_edit(kind: str, row, language: str) -> tuple[str, str, object]:
    """A field of the table to change in `row`, the cell's new text in `language`, the value it means."""
    model = TABLES[kind].model
    for name in TABLES[kind].fields:
        field = model._meta.get_field(name)
        if field.choices:
            value, label = next((v, label) for v, label in field.choices if v != getattr(row, name))
            with translation.override(language):
                return name, str(label), value
    name = next(name for name in TABLES[kind].fields if model._meta.get_field(name).get_internal_type() == "TextField")
    return name, "Texto cambiado: Año, Región", "Texto cambiado: Año, Región"


@pytest.fixture
def rows(world):
    for kind in TABLES:
        make_rows(world, kind.removesuffix("s"), 2)
    return world


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_download_imports_back_unchanged(rows, staff_client, kind, language):
    content = download(staff_client, kind, language)
    count = TABLES[kind].model.objects.count()
    with translation.override("en" if language == "es" else "es"):  # the file's language, not the reader's
        report = table_import(kind=kind, file=content, user=rows.staff_co)
    assert report.ok, [str(error) for error in report.errors]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == report.rows == count


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_download_with_one_cell_edited_changes_exactly_that(rows, staff_client, kind, language):
    model = TABLES[kind].model
    content = download(staff_client, kind, language, sep=";", coalition=rows.co_coalition.pk)
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    first_id = content.decode("utf-8-sig").splitlines()[1].split(";", 1)[0]
    first = model.objects.get(pk=int(first_id))
    name, text, value = one_edit(kind, first, language)
    with translation.override(language):
        column = header.index(str(model._meta.get_field(name).verbose_name).capitalize())
    before = {row.pk: tuple(getattr(row, field) for field in TABLES[kind].fields) for row in model.objects.all()}
    changed_file, pk = edited(content, column, text, separator=";")

    dry = table_import(kind=kind, file=changed_file, user=rows.staff_co, dry_run=True)
    assert dry.ok, [str(error) for error in dry.errors]
    assert dry.updated == 1
    assert tuple(getattr(model.objects.get(pk=pk), field) for field in TABLES[kind].fields) == before[pk]

    report = table_import(kind=kind, file=changed_file, user=rows.staff_co)
    assert report.ok, [str(error) for error in report.errors]
    assert (report.created, report.updated) == (0, 1)
    [change] = [change for change in report.changes if change.action == change.CHANGED]
    assert [label for label, _before, _after in change.fields] == [str(model._meta.get_field(name).verbose_name)]
    after = {row.pk: tuple(getattr(row, field) for field in TABLES[kind].fields) for row in model.objects.all()}
    assert getattr(model.objects.get(pk=pk), name) == value
    assert {key for key in after if after[key] != before[key]} == {pk}


@pytest.mark.parametrize("kind", TABLES)
def test_workbook_download_imports_back_unchanged(rows, staff_client, kind):
    content = download(staff_client, kind, "es", format="xlsx")
    report = table_import(kind=kind, file=content, user=rows.staff_co)
    assert report.ok, [str(error) for error in report.errors]
    assert report.updated == report.created == 0


def test_a_row_of_another_country_team_cannot_be_changed_and_nothing_is_written(rows, staff_client):
    content = download(staff_client, "commitments", "es")
    text = content.decode("utf-8-sig")
    text = text.replace("Map rooftops", "Mapear techos").replace("Publish budget", "Publicar presupuesto")
    with translation.override("en"):
        report = table_import(kind="commitments", file=text, user=rows.staff_co)
    assert not report.ok
    assert any("may not edit" in str(error) for error in report.errors), [str(error) for error in report.errors]
    rows.co_commitment.refresh_from_db()
    assert rows.co_commitment.description == "Map rooftops"  # all or nothing


def test_every_bad_row_is_reported_with_the_accepted_values(rows):
    file = (
        "Coalición;Actor;Rol;Fecha de ingreso;Fecha de salida\n"
        f"{rows.co_coalition.name};{rows.co_org.name};Jefa;2026-02-01;\n"
        f"{rows.co_coalition.name};Nadie;Miembro;ayer;\n"
    )
    with translation.override("es"):
        header_ok = table_import(kind="memberships", file=file, user=rows.staff_co)
    messages = [str(error) for error in header_ok.errors]
    assert any("Jefa" in message and "convener" in message for message in messages), messages
    assert any("Nadie" in message and "ayer" in message for message in messages), messages


def test_a_row_without_id_is_created_and_checked_by_the_models_rules(rows):
    from stakeholders.models import Stakeholder

    coalition = rows.co_coalition
    Stakeholder.objects.create(country=rows.co, name="Cooperativa Jepirachi", sector="community", level="local")
    file = f"Coalition,Stakeholder,Role,Joined on\n{coalition.name},Cooperativa Jepirachi,Observador,2026-03-01\n"
    before = coalition.memberships.count()
    dry = table_import(kind="memberships", file=file, user=rows.staff_co, dry_run=True)
    assert dry.ok and dry.created == 1 and coalition.memberships.count() == before
    refused = table_import(kind="memberships", file=file, user=rows.staff_pe)
    assert not refused.ok and "may not write" in str(refused.errors[0])
    report = table_import(kind="memberships", file=file, user=rows.staff_co)
    assert report.ok and coalition.memberships.get(stakeholder__name="Cooperativa Jepirachi").role == "observer"
    # Once more: the stakeholder is an open member already, which the model's rule refuses.
    again = table_import(kind="memberships", file=file, user=rows.staff_co)
    assert not again.ok and "already a member" in str(again.errors[0])


def test_a_commitment_marked_done_goes_through_mark_done(rows, staff_client, monkeypatch):
    from coalitions.models import Commitment

    calls = []
    original = Commitment.mark_done
    monkeypatch.setattr(Commitment, "mark_done", lambda self: calls.append(self.pk) or original(self))
    content = download(staff_client, "commitments", "en", coalition=rows.co_coalition.pk).decode("utf-8-sig")
    content = content.replace(",Planned,", ",Done,", 1)
    report = table_import(kind="commitments", file=content, user=rows.staff_co)
    assert report.ok and report.updated == 1, [str(error) for error in report.errors]
    assert len(calls) == 1


def test_import_data_command_takes_every_coalition_table(rows, staff_client, tmp_path):
    from django.core.management import call_command

    for kind in TABLES:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(download(staff_client, kind, "es"))
        out = io.StringIO()
        call_command("import_data", kind, str(path), stdout=out)
        assert "0 new, 0 changed" in out.getvalue()
