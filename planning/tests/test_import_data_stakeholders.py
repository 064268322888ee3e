import io

import pytest
from django.core.management import CommandError, call_command

from stakeholders.models import Stakeholder


@pytest.mark.django_db
def test_command_imports_a_valid_file(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,sector,level,country\nRed Andina,civil_society,local,CO\nMinera Sur,private,national,PE\n")
    out = io.StringIO()

    call_command("import_data", "stakeholders", str(path), stdout=out)

    assert "Imported 2 stakeholders" in out.getvalue()
    assert Stakeholder.objects.count() == 2


@pytest.mark.django_db
def test_command_lists_every_bad_row_and_imports_nothing(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,sector,level,country\nRed Andina,civil_society,local,CO\nX,bakery,local,CO\n,private,up,PE\n")
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 bad rows; nothing was imported"):
        call_command("import_data", "stakeholders", str(path), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Line 3: unknown sector 'bakery' (one of national_government, ")
    assert lines[1].startswith("Line 4: name is required; unknown level 'up' (one of ")
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_command_dry_run_and_missing_file(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,sector,level,country\nRed Andina,civil_society,local,CO\n")
    out = io.StringIO()

    call_command("import_data", "stakeholders", str(path), "--dry-run", stdout=out)

    assert "nothing was imported" in out.getvalue()
    assert not Stakeholder.objects.exists()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_data", "stakeholders", str(tmp_path / "missing.csv"))
