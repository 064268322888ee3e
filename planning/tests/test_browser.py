"""A real browser opens Moquegua's resources page and sees the charts (strict CSP, no scripts)."""

import pytest
from django.urls import reverse


@pytest.fixture
def async_unsafe_env(monkeypatch):
    """Set before `browser_page` does, so monkeypatch removes it afterwards: left behind, it fails
    `check --deploy` in later tests (async.E001). The root fixture's `setdefault` never unsets it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moquegua_resources_page_shows_the_charts(
    async_unsafe_env, world, resources, plan_indicator, browser_page, artifact
):
    # The data fixtures come before `browser_page`: ORM calls made while Playwright's event loop
    # runs get a connection of their own that nobody closes, and PostgreSQL then refuses to drop
    # the test database.
    browser_page.login(world.staff_pe)
    response = browser_page.goto(reverse("planning:region_resources", kwargs={"code": "pe-moq"}))
    assert response.status == 200
    browser_page.get_by_role("heading", name="Public resources of Moquegua").wait_for()
    charts = browser_page.locator("svg.chart-svg")
    assert charts.count() == 2
    assert charts.first.locator("rect.chart-bar").count() == 15  # 5 years x 3 sources
    bar = charts.first.locator("rect.chart-bar").first.bounding_box()
    assert bar["height"] > 0 and bar["width"] > 0
    assert browser_page.get_by_text("Households with safe water").is_visible()
    browser_page.screenshot(path=artifact("moquegua-resources.png"), full_page=True)
