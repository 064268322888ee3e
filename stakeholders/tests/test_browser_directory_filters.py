"""The directory's filter boxes show every choice: no box cut to a fixed height with a scrollbar; its
saved-filters panel loads after the page and follows the filters applied."""

import pytest
from django.db import connections
from playwright.sync_api import expect

from stakeholders.models import Stakeholder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_sector_shows_and_no_filter_box_is_cut(browser_page, world):
    page = browser_page
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.login(world.staff_co)
        page.goto("/stakeholders/")
        sectors = page.get_by_role("group", name="Sector").get_by_role("checkbox")
        assert sectors.count() == len(Stakeholder.Sector.choices) >= 12
        for index in range(sectors.count()):
            assert sectors.nth(index).is_visible()
        cut = page.locator(".filters fieldset > div").evaluate_all(
            "boxes => boxes.filter(box => box.scrollHeight > box.clientHeight + 1).length"
        )
        assert cut == 0
    finally:
        connections.close_all()


def test_the_saved_filters_panel_loads_after_the_page_and_follows_the_filters(browser_page, world):
    page = browser_page
    try:
        page.login(world.staff_co)
        page.goto("/stakeholders/")
        expect(page.get_by_role("button", name="Save this filter")).to_be_visible()
        query = page.locator('input[name="saved_filter-query"]')
        assert query.input_value() == ""
        page.get_by_role("checkbox", name="Media").check()
        page.get_by_role("button", name="Apply filters").click()
        # The results are swapped alone (htmx); the panel comes with them, for the filters applied.
        expect(query).to_have_value("sector=media")
        expect(page.get_by_role("button", name="Save this filter")).to_be_visible()
    finally:
        connections.close_all()
