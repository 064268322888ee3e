"""Values that only look like numbers are not numbers: ids, pages, filters and cursors are read in
ASCII digits only (core.parsing), so no input turns into another row, a 500 or a silent guess."""

import base64

import pytest

from core.parsing import is_decimal, is_integer, parse_id

pytestmark = pytest.mark.django_db

ARABIC_12 = "\u0661\u0662"
FULLWIDTH_12 = "\uff11\uff12"
SUPERSCRIPT_2 = "\u00b2"
LOOK_ALIKES = [ARABIC_12, FULLWIDTH_12, SUPERSCRIPT_2, "1_000", "1e3", " 12", "12 ", "+12", "0x0c", "", "0", "-1"]


@pytest.mark.parametrize("value", [*LOOK_ALIKES, "9" * 19, None, True, 10**30])
def test_parse_id_refuses_what_only_looks_like_an_id(value):
    assert parse_id(value) is None


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (12, 12), ("000012", 12), ("9" * 18, int("9" * 18))])
def test_parse_id_reads_ascii_digits(value, expected):
    assert parse_id(value) == expected


def test_integers_and_decimals_are_plain_ascii():
    assert is_integer("-12") and is_integer("12")
    assert is_decimal("12.5") and is_decimal("-0.25")
    for text in (ARABIC_12, FULLWIDTH_12, "1_000", "1e3", "NaN", "Infinity", "12."):
        assert not is_integer(text)
        assert not is_decimal(text)


@pytest.mark.parametrize("pk", [ARABIC_12, FULLWIDTH_12, SUPERSCRIPT_2, "1_000", "9" * 30])
def test_an_api_id_in_other_digits_is_the_apis_json_404(staff_api, world, pk):
    response = staff_api.get(f"/api/v1/stakeholders/{pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_api_id_in_ascii_digits_is_found(staff_api, world):
    assert staff_api.get(f"/api/v1/stakeholders/{world.co_org.pk}/").status_code == 200


@pytest.mark.parametrize("page", [ARABIC_12, "1_000", SUPERSCRIPT_2, "-1", "1.0"])
def test_a_page_number_in_other_digits_is_a_400(staff_api, world, page):
    response = staff_api.get("/api/v1/stakeholders/", {"page": page})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]


@pytest.mark.parametrize("size", [FULLWIDTH_12, "1_0", SUPERSCRIPT_2])
def test_a_page_size_in_other_digits_is_the_default_size(staff_api, world, size):
    from stakeholders.models import Stakeholder

    for number in range(3):
        Stakeholder.objects.create(country=world.co, name=f"Extra {number}", sector="civil_society", level="national")
    assert len(staff_api.get("/api/v1/stakeholders/", {"page_size": size}).json()["results"]) > 2
    assert len(staff_api.get("/api/v1/stakeholders/", {"page_size": "2"}).json()["results"]) == 2


@pytest.mark.parametrize("value", [ARABIC_12, FULLWIDTH_12, "1_000", "1e3"])
def test_a_filter_id_in_other_digits_is_a_400_in_the_api_and_no_rows_on_the_page(staff_api, staff_client, world, value):
    response = staff_api.get("/api/v1/engagements/", {"coalition": value})
    assert response.status_code == 400
    assert "coalition" in response.json()["errors"]
    page = staff_client.get("/stakeholders/", {"country": value, "sector": value})
    assert page.status_code == 200


def test_a_filter_date_in_other_digits_is_a_400(staff_api, world):
    response = staff_api.get("/api/v1/stakeholders/", {"updated_since": "\u0662\u0660\u0662\u0666-01-01"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_a_moment_with_any_offset_python_reads_is_compared_in_utc(staff_api, world):
    # Python reads offsets under a day; PostgreSQL refuses those beyond ±15:59, which once ended the
    # request's transaction and turned the next request into a 500.
    for offset in ("+19:09", "-23:59", "+05:00"):
        response = staff_api.get("/api/v1/stakeholders/", {"updated_since": f"2000-05-01T21:04:29{offset}"})
        assert response.status_code == 200, (offset, response.content)
    assert staff_api.get("/api/v1/regions/").status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        base64.b64encode(b"p=abc").decode(),
        base64.b64encode(b"p=\x00").decode(),
        base64.b64encode("p=\u0661\u0662".encode()).decode(),
        base64.b64encode(b"p=" + b"9" * 40).decode(),
        "!!!",
        "\u00e9",
    ],
)
def test_a_cursor_this_server_did_not_write_is_a_400(staff_api, world, cursor):
    response = staff_api.get("/api/v1/stakeholders/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Invalid cursor."]}


def test_a_cursor_this_server_wrote_is_followed(staff_api, world):
    first = staff_api.get("/api/v1/stakeholders/", {"mode": "cursor", "page_size": 1}).json()
    assert staff_api.get(first["next"]).status_code == 200


@pytest.mark.parametrize("value", ["abc", "//4=", "1e3", ARABIC_12, "\x1b", "1,abc"])
def test_the_admin_add_page_ignores_an_initial_id_that_is_not_one(admin_client, world, value):
    response = admin_client.get("/admin/coalitions/commitment/add/", {"coalition": value})
    assert response.status_code == 200


def test_the_admin_add_page_keeps_an_initial_id(admin_client, world):
    response = admin_client.get("/admin/coalitions/commitment/add/", {"coalition": world.co_coalition.pk})
    assert response.context["adminform"].form.initial["coalition"] == str(world.co_coalition.pk)


@pytest.mark.parametrize("path", ["/work/a%00b/", "/countries/%1B/", "/stakeholders/pickers/%0D%0A/"])
def test_a_control_character_in_a_page_path_is_the_sites_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_control_character_in_an_api_path_is_the_apis_json_404(staff_api, world):
    response = staff_api.get("/api/v1/stakeholders/%00/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("query", ["q=a%00b", "%00=1", "sector=civil_society&sector=%00"])
def test_a_nul_in_a_query_is_a_400_on_pages_and_in_the_api(staff_client, staff_api, world, query):
    assert staff_client.get(f"/stakeholders/?{query}").status_code == 400
    response = staff_api.get(f"/api/v1/stakeholders/?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_query_without_control_characters_reaches_the_view(staff_client, world):
    assert staff_client.get("/stakeholders/?q=Wayuu%09").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/resources/{SUPERSCRIPT_2}/",
        f"/resources/{SUPERSCRIPT_2}/flows.csv",
        f"/relationships/?country={SUPERSCRIPT_2}",
        f"/relationships/?initiative={SUPERSCRIPT_2}",
        f"/resources/PE-MOQ/?year={SUPERSCRIPT_2}",
    ],
)
def test_a_superscript_where_a_page_expects_an_id_is_no_server_error(staff_client, world, url):
    # str.isdigit() is true for it and int() refuses it: these pages answered 500.
    assert staff_client.get(url).status_code in (200, 404)


def test_marking_a_notification_read_with_a_look_alike_id_marks_nothing(staff_client, world):
    assert staff_client.post("/notifications/read/", {"id": SUPERSCRIPT_2}).status_code == 302
