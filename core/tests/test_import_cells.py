"""Every cell problem is a row error, never an exception, in both CSV imports (core.importers):
NUL bytes, control characters, oversized cells, cells past the csv module's limit, look-alike
digits, and files that are not UTF-8."""

import io

import pytest

from core.importers import MAX_CELL_CHARS, cell_problem, read_table
from planning.importers import resources_import
from planning.models import ResourceFlow
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

STAKEHOLDERS = "name,acronym,kind,sector,level,country,regions,website,description\n"
GOOD_STAKEHOLDER = "Fundación {n},,organisation,civil_society,local,CO,CO-LAG,,"
FLOWS = "region_code,fiscal_year,month,source,amount,currency,is_sample,note\n"
GOOD_FLOW = "PE-MOQ,{year},,mining_canon,100,PEN,,"

BAD_CELLS = {
    "a NUL byte": "Red\x00Andina",
    "an escape sequence": "Red \x1b[31mAndina",
    "a bell": "Red\x07Andina",
    "a C1 control": "Red\x85Andina",
    "an oversized cell": "x" * (MAX_CELL_CHARS + 1),
    "a cell past the csv module's limit": "x" * 200_000,
}


@pytest.mark.parametrize("value", ["Red Andina", "Línea 1\nLínea 2", "tab\there", ""])
def test_ordinary_text_has_no_cell_problem(value):
    assert cell_problem(value, column="name") is None


@pytest.mark.parametrize("problem", list(BAD_CELLS))
def test_a_bad_stakeholder_cell_is_an_error_on_its_line_and_imports_nothing(problem):
    bad = f'"{BAD_CELLS[problem]}",,organisation,civil_society,local,CO,,,'
    rows = [GOOD_STAKEHOLDER.format(n=1), bad, GOOD_STAKEHOLDER.format(n=3)]
    result = stakeholders_import_csv(file=(STAKEHOLDERS + "\n".join(rows) + "\n").encode())
    assert not result.ok
    assert [error.line for error in result.errors] == [3]
    assert not Stakeholder.objects.filter(name__startswith="Fundación").exists()


def test_a_bad_cell_in_the_description_is_named_in_the_error():
    bad = 'Red Andina,,organisation,civil_society,local,CO,,,"about \x00 us"'
    result = stakeholders_import_csv(file=(STAKEHOLDERS + bad + "\n").encode())
    assert "description contains a NUL character" in result.errors[0].message


@pytest.mark.parametrize("problem", list(BAD_CELLS))
def test_a_bad_resource_flow_cell_is_an_error_on_its_line_and_imports_nothing(world, problem):
    bad = f'PE-MOQ,2023,,mining_canon,100,PEN,,"{BAD_CELLS[problem]}"'
    text = FLOWS + "\n".join([GOOD_FLOW.format(year=2022), bad, GOOD_FLOW.format(year=2024)]) + "\n"
    report = resources_import(kind="flows", file=text, dry_run=False)
    assert not report.ok
    assert [error.line for error in report.errors] == [3]
    assert not ResourceFlow.objects.exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("fiscal_year", "\u0662\u0660\u0662\u0663"),  # 2023 in Arabic-Indic digits
        ("fiscal_year", "\u00b2\u00b2"),  # superscripts: str.isdigit() is true, int() refuses them
        ("month", "\u00b9"),
        ("amount", "\uff11\uff10\uff10"),  # fullwidth 100
        ("amount", "1e2"),
    ],
)
def test_a_number_in_other_digits_is_a_row_error(world, column, value):
    cells = {"fiscal_year": "2023", "month": "", "amount": "100"}
    cells[column] = value
    row = f"PE-MOQ,{cells['fiscal_year']},{cells['month']},mining_canon,{cells['amount']},PEN,,"
    report = resources_import(kind="flows", file=FLOWS + row + "\n", dry_run=False)
    assert [error.line for error in report.errors] == [2]
    assert column in report.errors[0].message


def test_a_header_past_the_csv_modules_limit_is_an_error_on_line_1(world):
    report = resources_import(kind="flows", file='"' + "x" * 200_000 + '"\n', dry_run=False)
    assert [error.line for error in report.errors] == [1]
    result = stakeholders_import_csv(file=('"' + "x" * 200_000 + '"\n').encode())
    assert [error.line for error in result.errors] == [1]


@pytest.mark.parametrize("data", [b"\x00\x9f\x00name\xff\n", b"\xff\xfe\x00\xd8"])
def test_a_file_that_is_not_text_is_one_error_not_an_exception(data):
    result = stakeholders_import_csv(file=data)
    assert [error.line for error in result.errors] == [1]
    assert "UTF-" in result.errors[0].message  # what was found instead


def test_a_stakeholder_file_in_latin1_is_read(world):
    result = stakeholders_import_csv(
        file=(STAKEHOLDERS + "Andr\u00e9 y Cía,,,civil_society,local,CO,,,\n").encode("latin-1")
    )
    assert result.ok, result.errors


def test_a_resources_upload_in_latin1_is_read(staff_client, world):
    from imports.testing import import_through_page

    world.staff_co.country_teams.add(world.pe)
    content = FLOWS.encode() + "PE-MOQ,2024,,mining_canon,100,PEN,,caf\u00e9\n".encode("latin-1")
    _dry, response = import_through_page(staff_client, kind="flows", content=content)
    assert response.status_code == 200
    assert response.context["report"].ok
    assert ResourceFlow.objects.get().note == "caf\u00e9"


def test_the_formula_guards_apostrophe_is_taken_off_on_import(world):
    from core.exports import csv_cell

    name = "=Fundación Igualdad"
    row = f"{csv_cell(name)},,organisation,civil_society,local,CO,,,{csv_cell('-solar')}\n"
    result = stakeholders_import_csv(file=(STAKEHOLDERS + row).encode())
    assert result.ok, result.errors
    assert Stakeholder.objects.get(name=name).description == "-solar"


def test_a_decimal_is_written_plainly():
    from decimal import Decimal

    from core.exports import csv_cell

    assert csv_cell(Decimal("987.650000000000")) == "987.65"
    assert csv_cell(Decimal("0E+8")) == "0"
    assert csv_cell(Decimal("3234568.39000000")) == "3234568.39"
    assert csv_cell(Decimal("-5.10")) == "'-5.1"  # the formula guard still applies


@pytest.mark.parametrize(
    "data",
    [
        b'name,sector\r\nAna,media\r\n\r\n"Two\nlines",other\r\n',
        b"name;sector\rOld Mac;media\rEnd;other",  # lone carriage returns
        "\ufeffname,sector\nFundación,media\n".encode(),  # a spreadsheet's byte order mark
        "name,sector\nFundación,media\n".encode("cp1252"),  # not UTF-8: read whole, as an upload
        b'name,sector\n"never closed,media\n',
    ],
)
def test_an_open_file_reads_as_its_bytes_do(data):
    """The command hands `read_table` the open file, which it reads as it goes: the same table."""
    expected = read_table(data)
    streamed = read_table(io.BufferedReader(io.BytesIO(data)))
    assert (streamed.header, list(streamed.rows), streamed.errors) == (
        expected.header,
        list(expected.rows),
        expected.errors,
    )
    assert (streamed.encoding, streamed.separator, streamed.max_rows) == (
        expected.encoding,
        expected.separator,
        expected.max_rows,
    )
