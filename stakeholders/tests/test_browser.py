"""The staff pages in a real browser (Debian's Chromium): the tasks staff do every day."""

import re

import pytest
from playwright.sync_api import expect

from stakeholders.models import Stakeholder

# The live server needs committed rows. The `world` fixture reloads the countries and regions
# that the flush between transactional tests removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page) -> list[str]:
    """Collect Content Security Policy violations reported in the console."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_staff_filter_the_directory_and_open_a_stakeholder(browser_page, world, artifact):
    page = browser_page
    violations = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/stakeholders/")
    page.screenshot(path=artifact("stakeholder-directory.png"), full_page=True)
    page.get_by_role("group", name="Sector").get_by_label("Subnational government").check()
    page.get_by_role("button", name="Apply filters").click()
    # Playwright's string predicates use eval, which the CSP forbids: wait with expect() instead.
    expect(page.locator("#directory-results tbody tr")).to_have_count(1)
    assert "sector=subnational_government" in page.url  # bookmarkable: htmx pushed the filtered URL
    page.get_by_role("link", name="Alcaldía de Uribia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Alcaldía de Uribia")
    expect(page.get_by_role("heading", name="Assessment history")).to_be_visible()  # its panel loads after the page
    assert page.locator("svg.chart").is_visible()
    page.screenshot(path=artifact("stakeholder-detail.png"), full_page=True)
    assert violations == []


def test_filter_the_directory_by_a_coalition_found_by_name(browser_page, world):
    page = browser_page
    violations = watch_csp(page)
    page.login(world.staff_co)
    page.goto("/stakeholders/")
    picker = page.get_by_role("group", name="Member of coalition")
    search = picker.get_by_role("searchbox", name="Find a coalition by name")
    search.fill("zzz")
    picker.get_by_role("button", name="Search").click()  # with JavaScript, Search searches in place
    expect(picker.get_by_text("Nothing matches “zzz”.")).to_be_visible()
    assert "zzz" not in page.url
    search.fill("guaj")  # HTMX refreshes the options as one types
    option = picker.get_by_label(re.compile(re.escape(world.co_coalition.name)))
    expect(option).to_be_visible()
    # Enter searches again (and does not submit the filters); its answer replaces the options, so
    # the one to check is chosen from the new list, as a person sees it, not from the old one.
    options = page.locator("#coalition-options")
    options.evaluate("element => element.setAttribute('data-replaced-soon', '')")
    search.press("Enter")
    expect(page.locator("#coalition-options[data-replaced-soon]")).to_have_count(0)
    expect(options).to_be_visible()
    assert "coalition" not in page.url
    option.check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"coalition={world.co_coalition.pk}"))
    expect(page.locator("#directory-results tbody tr")).to_have_count(2)
    assert world.pe_coalition.name not in picker.inner_text()
    assert violations == []


def test_sorting_keeps_the_filters_and_filtering_keeps_the_order(browser_page, world):
    Stakeholder.objects.create(country=world.pe, name="Minera Andina", sector="extractive_energy", level="local")
    page = browser_page
    page.login(world.staff_co)
    page.goto(f"/stakeholders/?country={world.pe.pk}")
    page.get_by_role("link", name="Name").click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    page.get_by_role("link", name="Name").click()
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.locator("#directory-results tbody th").first).to_have_text("Minera del Sur")
    # Filtering after sorting keeps the order.
    # Both minings are matches of the same rank (core.search): the chosen order sorts them.
    page.get_by_label("Search").fill("minera")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=minera"))
    assert "sort=-name" in page.url
    rows = page.locator("#directory-results tbody th").all_inner_texts()
    assert rows == ["Minera del Sur", "Minera Andina"]


def test_staff_add_a_relationship_and_see_the_network(browser_page, world, artifact):
    page = browser_page
    violations = watch_csp(page)
    page.login(world.staff_co)
    page.goto(world.co_mayor.get_absolute_url())
    page.get_by_role("link", name="Add relationship").click()
    target = page.get_by_role("group", name="Target")
    target.get_by_role("searchbox", name="Search stakeholders by name or acronym").fill("Wayuu")
    option = target.locator("#target-options").get_by_label(re.compile(re.escape(world.co_org.name)))
    option.check()
    page.get_by_label("Kind").select_option("alliance")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("Relationship added.").is_visible()
    # Checked through the page, not the ORM: under Playwright an ORM call here opens a connection
    # of its own that PostgreSQL would then refuse to drop with the test database.
    # The relationships are a panel the page loads after its first paint: wait for it.
    relationships = page.get_by_role("region", name="Relationships")
    expect(relationships.get_by_role("link", name="Fundación Energía Wayuu")).to_be_visible()
    page.goto(f"/relationships/?country={world.co.pk}")
    assert page.locator("svg.network a.node").count() == 2
    page.screenshot(path=artifact("relationship-network.png"), full_page=True)
    page.goto("/countries/co/")
    page.screenshot(path=artifact("country-detail.png"), full_page=True)
    assert violations == []


def test_switch_to_spanish_and_see_the_same_pages_in_spanish(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.goto("/stakeholders/")
    page.get_by_label("Language").select_option("es")  # submits itself (site.js)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.get_by_role("heading", level=1).inner_text() == "Actores"
    assert page.get_by_role("navigation", name="Principal").get_by_role("link", name="Países").is_visible()
    page.get_by_role("group", name="Sector").get_by_label("Gobierno subnacional").check()
    page.get_by_role("button", name="Aplicar filtros").click()
    expect(page.locator("#directory-results tbody tr")).to_have_count(1)
    page.screenshot(path=artifact("stakeholder-directory-es.png"), full_page=True)
    page.get_by_role("link", name="Alcaldía de Uribia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Perfil").is_visible()
    expect(
        page.get_by_role("heading", name="Historial de evaluaciones")
    ).to_be_visible()  # its panel loads after the page
    assert page.get_by_text("Gobierno subnacional").is_visible()
    page.screenshot(path=artifact("stakeholder-detail-es.png"), full_page=True)
    page.goto("/countries/")
    assert page.get_by_role("heading", level=1).inner_text() == "Países"
    page.screenshot(path=artifact("countries-es.png"), full_page=True)


def test_partner_signing_in_is_pointed_to_the_api(browser_page, world, artifact):
    page = browser_page
    page.login(world.partner_co)
    page.goto("/stakeholders/")
    assert page.get_by_role("heading", name="This site is for program staff").is_visible()
    assert page.get_by_role("link", name="Read the API documentation").is_visible()
    page.screenshot(path=artifact("partner-pointed-to-api.png"))
