"""Things every page gets right in a real browser: a favicon (no console 404), a readable unread
count in the header, and a long pasted URL that wraps instead of widening the page."""

import pytest
from django.db import connections

from notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 200

CONTRAST = """element => {
  const channels = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => {
    c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  const luminance = value => { const [r, g, b] = channels(value); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(element);
  const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_a_page_has_a_favicon_a_readable_unread_count_and_wraps_a_long_url(world, browser_page):
    Notification.objects.create(user=world.staff_co, kind="follow_up", key="k-1", title="Follow-up due")
    engagement = world.co_engagement
    engagement.agreements = LONG_URL
    engagement.save()
    url = engagement.get_absolute_url()
    page = browser_page
    try:
        missing = []
        page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.login(world.staff_co)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("link[rel=icon]").count() == 1
        assert missing == []
        count = page.locator(".notifications-badge .badge")
        count.wait_for()
        assert count.inner_text() == "1"
        assert count.evaluate(CONTRAST) >= 4.5
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        connections.close_all()
