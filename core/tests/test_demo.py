"""The demo loader (core/demo.py): every record of every data file is in the database after a load,
a later run changes nothing, and a bad record is refused with its file, line and rule."""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from core import demo
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

FILES = demo.data_files()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def expected(block: demo.Block, name: str, value, record, refs):
    """What the row holds for a record's value, or None when the record states nothing checkable."""
    if name == "ref" or value == "now" or (name == "password" and block.model is get_user_model()):
        return None
    return block.value(name, value, record, refs)


def missing_or_different(block: demo.Block, refs) -> list[str]:
    problems = []
    for record in block.records:
        where = f"{demo.display(block.path)}:{record.line}"
        row = block.model._default_manager.filter(**block.lookup(record, refs)).first()
        if row is None:
            problems.append(f"{where}: no row")
            continue
        for name, value in record.items():
            if name not in {field.name for field in block.model._meta.get_fields()}:
                continue  # a call's argument that is not a field (`language` of a join)
            want = expected(block, name, value, record, refs)
            if want is None:
                continue
            field = block.model._meta.get_field(name)
            have = set(getattr(row, name).all()) if field.many_to_many else getattr(row, name)
            if field.many_to_many:
                want = set(want)
            elif not field.is_relation:
                want = field.to_python(want)
            if have != want:
                problems.append(f"{where}: {name} is {have!r}, the file says {want!r}")
    return problems


def test_there_is_a_data_file_for_each_app_with_demo_rows():
    assert {path.parent.parent.name for path in FILES} == {
        "countries",
        "stakeholders",
        "accounts",
        "planning",
        "coalitions",
        "results",
        "explorers_network",
        "trends",
    }


def test_every_record_of_every_data_file_is_in_the_database_after_a_load():
    refs = demo.load()
    problems = []
    for path in FILES:
        for block in demo.read(path):
            if block.key:  # a call without a key changes rows the blocks above made
                problems += missing_or_different(block, refs)
    assert problems == []


def test_the_countries_made_by_the_migration_get_their_demo_summary_and_status():
    from countries.models import Country

    demo.load(demo.data_files("countries"))
    assert Country.objects.get(code="CO").status == "active"
    assert "Energy Communities" in Country.objects.get(code="CO").summary
    assert Country.objects.get(code="PH").status == "exploring"


def test_a_later_run_finds_every_row_even_when_its_dates_count_from_another_day(monkeypatch):
    demo.load()
    first = row_counts()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    demo.load()
    assert row_counts() == first


def test_a_later_run_keeps_what_staff_changed_and_fills_what_they_left_empty():
    demo.load(demo.data_files("countries", "stakeholders"))
    Stakeholder.objects.filter(name="Unidad de Planeación Minero Energética").update(
        description="Edited by staff", acronym=""
    )
    demo.load(demo.data_files("countries", "stakeholders"))
    upme = Stakeholder.objects.get(name="Unidad de Planeación Minero Energética")
    assert (upme.description, upme.acronym) == ("Edited by staff", "UPME")


def test_a_record_breaking_a_model_rule_is_refused_with_its_file_line_and_the_rules_message(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text(
        "# A partner without an organisation.\n"
        "- model: accounts.User\n"
        "  key: [username]\n"
        "  records:\n"
        "  - {username: partner-xx, password: demo, role: partner}\n"
    )
    with pytest.raises(demo.DemoDataError) as refused:
        demo.load([path])
    assert str(refused.value) == (
        f"{path}:5 (accounts.User 'partner-xx'): A partner user needs an organisation, and only partners have one."
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{code: CO, sumary: Typo}", "countries.Country has no field 'sumary'"),
        ("{name: Elsewhere}", "the record has no value for the key field(s) code"),
        ("{code: CO, status: dormant}", "status: Value 'dormant' is not a valid choice."),
    ],
)
def test_a_record_the_loader_cannot_read_names_its_file_and_line(tmp_path, record, message):
    path = tmp_path / "countries.yaml"
    path.write_text(f"- model: countries.Country\n  key: [code]\n  records:\n  - {record}\n")
    with pytest.raises(demo.DemoDataError, match=f"^{re.escape(str(path))}:4 .*{re.escape(message)}"):
        demo.load([path])


def test_a_reference_to_a_record_not_loaded_above_is_refused(tmp_path):
    path = tmp_path / "stakeholders.yaml"
    path.write_text(
        "- model: stakeholders.Stakeholder\n  key: [country, name]\n  records:\n"
        "  - {country: CO, name: Fundación Nueva, sector: civil_society, level: local}\n"
    )
    with pytest.raises(demo.DemoDataError, match=r"country: no countries.Country 'CO' above"):
        demo.load([path])


def test_a_date_counted_from_today_cannot_be_part_of_a_key(tmp_path):
    path = tmp_path / "engagements.yaml"
    path.write_text(
        "- model: coalitions.Engagement\n  key: [title, occurred_on]\n  records:\n"
        "  - {title: Call, occurred_on: 3 days ago}\n"
    )
    with pytest.raises(demo.DemoDataError, match="occurred_on: a date counted from today cannot be part of the key"):
        demo.load([path])


def test_a_block_naming_no_model_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("- model: stakeholders.Actor\n  key: [name]\n  records: []\n")
    with pytest.raises(demo.DemoDataError, match=r"bad.yaml:1: no model 'stakeholders.Actor'"):
        demo.load([path])


def test_the_demo_is_loaded_by_the_command_in_one_transaction_and_said_so(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "coalitions/demo/coalitions.yaml: " in out.getvalue()
    assert "Demo data loaded." in out.getvalue()
