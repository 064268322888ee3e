"""The period report in a real browser (Debian's Chromium through Playwright): on screen and printed."""

import pytest
from playwright.sync_api import expect

# The live server needs committed rows. The `world` fixture reloads the countries and regions
# that the flush between transactional tests removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_country_report_prints_without_navigation(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.goto("/reports/country/co/?start=2026-01-01&end=2026-12-31")
    assert page.get_by_role("heading", name="Period report: Colombia", level=1).is_visible()
    assert page.locator(".main-nav").first.is_visible()
    assert page.get_by_role("link", name="Download as XLSX (one sheet per section)").is_visible()
    # Each section loads after the page (htmx): wait for all of them, so the print has them.
    expect(page.locator(".report-section[aria-busy]")).to_have_count(0)
    page.screenshot(path=artifact("period-report.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").first.is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.get_by_role("heading", name="Engagements", level=2).is_visible()
    page.pdf(path=artifact("period-report.pdf"))


def test_a_country_dashboard_loads_its_panels(browser_page, world):
    page = browser_page
    page.login(world.staff_co)
    page.goto("/countries/co/dashboard/")
    assert page.get_by_role("heading", name="Dashboard of Colombia", level=1).is_visible()
    expect(page.locator("section[aria-busy]")).to_have_count(0)
    expect(page.get_by_text("Commitments made")).to_be_visible()
    assert page.locator("svg.chart").count() == 3
