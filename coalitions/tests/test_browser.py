"""The coalitions pages in a real browser (Debian's Chromium through Playwright)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from coalitions.models import Coalition, Engagement
from core.testing import closes_connections
from stakeholders.models import Stakeholder

from .conftest import assess

# The live server needs committed rows. The `world` fixture reloads the countries and regions
# that the flush between transactional tests removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field_label(text: str) -> re.Pattern:
    """A form field's label, with or without Django's trailing colon."""
    return re.compile(rf"^{re.escape(text)}:?$")


def watch_csp(page) -> list[str]:
    """Collect console errors, so a page that breaks the Content Security Policy fails the test."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return errors


def pick(page, field: str, query: str, name: str) -> None:
    """Search the picker with HTMX and tick the stakeholder called `name`."""
    page.get_by_role("searchbox", name="Search stakeholders by name or acronym").fill(query)
    option = page.locator(f"#{field}-options").get_by_label(re.compile(re.escape(name)))
    option.check()
    assert option.is_checked()


@closes_connections
def test_create_a_coalition_with_three_members(browser_page, world, artifact):
    page = browser_page
    errors = watch_csp(page)
    university = Stakeholder.objects.create(
        country=world.co, name="Universidad de La Guajira", sector="academia", level="subnational"
    )
    page.login(world.staff_co)
    page.goto("/coalitions/new/")
    page.get_by_label(field_label("Name")).fill("Coalición Solar de Riohacha")
    page.get_by_label(field_label("Initiative")).select_option(label=world.co_initiative.name)
    page.get_by_label(field_label("Level")).select_option("local")
    page.get_by_label(field_label("Shared goal (English)")).fill("Rooftop solar for Riohacha schools")
    pick(page, "members", "Fundación", "Fundación Energía Wayuu")
    pick(page, "members", "Alcaldía", "Alcaldía de Uribia")
    pick(page, "members", "Universidad", "Universidad de La Guajira")
    # Earlier choices survive later searches.
    assert page.locator("#members-options input:checked").count() == 3
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/coalitions/\d+/$"))
    coalition = Coalition.objects.get(name="Coalición Solar de Riohacha")
    assert {m.stakeholder_id for m in coalition.memberships.all()} == {
        world.co_org.pk,
        world.co_mayor.pk,
        university.pk,
    }
    members = page.locator("section[aria-labelledby='members-heading']")
    for name in ("Fundación Energía Wayuu", "Alcaldía de Uribia", "Universidad de La Guajira"):
        assert members.get_by_role("link", name=name, exact=True).is_visible()
    page.screenshot(path=artifact("coalition-detail.png"), full_page=True)
    assert errors == []


@closes_connections
def test_log_an_engagement_with_participants_using_the_picker(browser_page, world, artifact):
    page = browser_page
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/engagements/new/")
    page.get_by_label(field_label("Title")).fill("Taller de co-creación en Uribia")
    page.get_by_label(field_label("Kind")).select_option("workshop")
    page.get_by_label(field_label("Occurred on")).fill("2026-03-10")
    # Choosing the coalition brings its members into the picker as suggestions.
    page.get_by_label(field_label("Coalition")).select_option(label=world.co_coalition.name)
    page.locator("#participants-options").get_by_label(re.compile("Alcaldía de Uribia")).check()
    pick(page, "participants", "minera", "Minera del Sur")
    page.get_by_label(field_label("Agreements")).fill("Map the rooftops before April")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/engagements/\d+/$"))
    engagement = Engagement.objects.get(title="Taller de co-creación en Uribia")
    assert set(engagement.participants.values_list("name", flat=True)) == {"Alcaldía de Uribia", "Minera del Sur"}
    assert page.get_by_role("link", name="Minera del Sur", exact=True).is_visible()
    assert errors == []


@closes_connections
def test_record_an_assessment_and_see_the_map_change(browser_page, world, artifact):
    page = browser_page
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto(world.co_initiative.get_absolute_url())
    actor = page.locator(f".stakeholder-map a[data-stakeholder='{world.co_mayor.pk}']")
    expect(actor).to_have_attribute("data-power", "4")  # the map is a panel loaded after the page
    assert actor.get_attribute("data-interest") == "2"
    assert page.locator(".stakeholder-map .map-move").count() == 0
    page.get_by_role("link", name="Record an assessment").click()
    pick(page, "stakeholder", "Alcaldía", "Alcaldía de Uribia")
    page.get_by_label(field_label("Assessed on")).fill("2026-04-01")
    page.get_by_label(field_label("Power")).select_option("5")
    page.get_by_label(field_label("Interest")).select_option("5")
    page.get_by_label(field_label("Capabilities")).select_option("4")
    page.get_by_label(field_label("Stance")).select_option(label="Champion")
    page.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(r"/initiatives/\d+/#map$"))
    actor = page.locator(f".stakeholder-map a[data-stakeholder='{world.co_mayor.pk}']")
    expect(actor).to_have_attribute("data-power", "5")
    assert actor.get_attribute("data-interest") == "5"
    expect(page.locator(".stakeholder-map .map-move")).to_have_count(1)
    page.locator("#map").screenshot(path=artifact("initiative-map.png"))
    page.screenshot(path=artifact("initiative-detail.png"), full_page=True)
    assert errors == []


@closes_connections
def test_dashboard_coalition_list_and_map_links(browser_page, world, artifact):
    page = browser_page
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/dashboard/")
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    expect(page.get_by_role("link", name="Coalición La Guajira").first).to_be_visible()  # panels load after the page
    page.screenshot(path=artifact("dashboard.png"), full_page=True)
    page.goto("/coalitions/")
    page.get_by_label(field_label("Search")).fill("guajira")
    page.get_by_role("button", name="Filter", exact=True).click()
    assert page.get_by_role("link", name="Coalición La Guajira").is_visible()
    assert page.get_by_role("link", name=world.pe_coalition.name).count() == 0
    page.screenshot(path=artifact("coalition-list.png"), full_page=True)
    page.goto(world.co_initiative.get_absolute_url())
    mayor = page.locator(f".stakeholder-map a[data-stakeholder='{world.co_mayor.pk}']")
    expect(mayor).to_be_visible()  # the map is a panel loaded after the page
    mayor.locator("circle").click()
    page.wait_for_url(f"**{world.co_mayor.get_absolute_url()}")
    assert errors == []


@closes_connections
def test_switch_to_spanish_and_see_the_coalition_pages_in_spanish(browser_page, world, artifact):
    page = browser_page
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/dashboard/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("heading", name="Panel", level=1).wait_for()
    assert page.get_by_role("heading", name="Coaliciones activas").is_visible()
    page.goto(world.co_coalition.get_absolute_url())
    # The action plan is a panel the page loads after its first paint: wait for its table.
    expect(page.get_by_role("heading", name="Plan de acción")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Responsable")).to_be_visible()
    page.goto(world.co_initiative.get_absolute_url())
    assert page.get_by_role("heading", name="Mapa de actores").is_visible()
    expect(page.locator(".stakeholder-map")).to_be_visible()  # the map is a panel loaded after the page
    assert "Poder para impulsar o bloquear el cambio" in page.locator(".stakeholder-map").inner_html()
    page.screenshot(path=artifact("initiative-detail-es.png"), full_page=True)
    assert errors == []


@closes_connections
def test_in_spanish_a_date_is_entered_saved_and_shown_back(browser_page, world):
    """The one date input is ISO whatever the language: typed on a Spanish page, it saves and shows as entered."""
    page = browser_page
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/dashboard/")
    page.get_by_label("Language").select_option("es")  # submits itself (site.js): wait for the Spanish page
    page.get_by_role("heading", name="Panel", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(f"/coalitions/{world.co_coalition.pk}/edit/")
    day = page.get_by_label(field_label("Fecha de conformación"))
    assert day.get_attribute("type") == "date"
    day.fill("2026-03-10")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(re.compile(rf"/coalitions/{world.co_coalition.pk}/$"))
    world.co_coalition.refresh_from_db()
    assert world.co_coalition.formed_on == datetime.date(2026, 3, 10)
    assert page.get_by_text("10 de marzo de 2026").is_visible()
    page.goto(f"/coalitions/{world.co_coalition.pk}/edit/")
    assert page.get_by_label(field_label("Fecha de conformación")).input_value() == "2026-03-10"
    assert errors == []


@closes_connections
def test_zoom_the_map_and_download_it_as_png(browser_page, world, artifact):
    page = browser_page
    long_named = Stakeholder.objects.create(
        country=world.co,
        name="Asociación de Autoridades Tradicionales Wayuu del Norte",
        sector="indigenous",
        level="local",
    )
    assess(world.co_initiative, [long_named], datetime.date(2026, 3, 1))
    errors = watch_csp(page)
    page.login(world.staff_co)
    page.goto(world.co_initiative.get_absolute_url())
    chart = page.locator("svg.stakeholder-map")
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()  # the map panel loads after the page
    whole = chart.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = chart.get_attribute("viewBox")
    assert zoomed != whole and float(zoomed.split()[2]) < float(whole.split()[2])
    page.get_by_role("button", name="Show all").click()
    assert chart.get_attribute("viewBox") == whole
    # A long name is shortened on the map and shown whole while its actor is focused.
    actor = page.locator(f".stakeholder-map a[data-stakeholder='{long_named.pk}']")
    full = actor.locator(".label-full")
    assert full.evaluate("element => getComputedStyle(element).visibility") == "hidden"
    actor.focus()
    assert full.evaluate("element => getComputedStyle(element).visibility") == "visible"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PNG").click()
    path = download.value.path()
    with open(path, "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert errors == []
