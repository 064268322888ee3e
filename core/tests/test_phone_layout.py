"""The main pages on a phone (360 x 740): no sideways scrolling, a header that folds away, and a light first load.

Each page's screenshot is kept in test-artifacts/phone-*.png.
"""

import pytest

from core.testing import closes_connections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
FIRST_LOAD_LIMIT = 150 * 1024  # bytes: the page's HTML, stylesheets, scripts and images, uncompressed

# Every byte the page used: the document and each resource it fetched, counted whether it came from
# the network or the cache (decodedBodySize is the body as used, so compression cannot hide weight).
FIRST_LOAD_BYTES = """() => {
  const [navigation] = performance.getEntriesByType("navigation");
  return performance.getEntriesByType("resource").reduce(
    (total, entry) => total + entry.decodedBodySize, navigation.decodedBodySize);
}"""

# The page's own controls (buttons, fields, pagination links) shorter than a 44 px tap target.
SMALL_CONTROLS = """() => [...document.querySelectorAll(
      'main button, main .button, main select, main textarea, .pagination a, main summary,'
      + ' main input:not([type=checkbox]):not([type=radio]):not([type=hidden])')]
    .filter(element => element.offsetParent !== null && element.getBoundingClientRect().height < 44)
    .map(element => (element.textContent.trim() || element.name || element.tagName).slice(0, 30))"""


def phone_problems(page, artifact, prefix: str, pages: dict[str, str]) -> list[str]:
    """Open each page, keep its screenshot, and say what is wrong with it on a phone (all pages, then assert)."""
    problems = []
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("load")
        page.screenshot(path=artifact(f"phone-{prefix}-{name}.png"), full_page=True)
        if response.status != 200:
            problems.append(f"{path} answered {response.status}")
        width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width > window:
            problems.append(f"{path} scrolls sideways: {width} px wide in a {window} px window")
        small = page.evaluate(SMALL_CONTROLS)
        if small:
            problems.append(f"{path} has controls under 44 px tall: {', '.join(small)}")
        weight = page.evaluate(FIRST_LOAD_BYTES)
        if weight >= FIRST_LOAD_LIMIT:
            problems.append(f"{path} weighs {weight} bytes on first load")
    return problems


def staff_pages(world):
    return {
        "home": "/",
        "dashboard": "/dashboard/",
        "directory": "/stakeholders/",
        "stakeholder": world.co_mayor.get_absolute_url(),
        "countries": "/countries/",
        "initiatives": "/initiatives/",
        "initiative": world.co_initiative.get_absolute_url(),
        "coalitions": "/coalitions/",
        "coalition": world.co_coalition.get_absolute_url(),
        "network": "/relationships/",
        "explorers": "/outreach/explorers/",
    }


ANONYMOUS_PAGES = {
    "public-home": "/",
    "sign-in": "/accounts/login/",
    "about": "/about/",
    "contact": "/contact/",
    "join": "/network/join/",
}


@closes_connections
def test_main_pages_fit_a_phone_for_staff(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.set_viewport_size(PHONE)
    problems = phone_problems(page, artifact, "staff", staff_pages(world))
    assert not problems, "\n".join(problems)


@closes_connections
def test_main_pages_fit_a_phone_for_visitors(browser_page, world, artifact):
    page = browser_page
    page.set_viewport_size(PHONE)
    problems = phone_problems(page, artifact, "anonymous", ANONYMOUS_PAGES)
    assert not problems, "\n".join(problems)


@closes_connections
def test_the_partner_portal_fits_a_phone(browser_page, world, artifact):
    page = browser_page
    page.login(world.partner_co)
    page.set_viewport_size(PHONE)
    pages = {
        "home": "/portal/",
        "coalition": f"/portal/coalitions/{world.co_coalition.pk}/",
        "commitments": "/portal/commitments/",
    }
    problems = phone_problems(page, artifact, "partner", pages)
    assert not problems, "\n".join(problems)


@closes_connections
def test_the_phone_header_folds_its_menu_and_every_control_is_a_large_target(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.set_viewport_size(PHONE)
    page.goto("/dashboard/")
    navigation = page.get_by_role("navigation", name="Main")
    # Folded: the header is one short bar and the navigation is hidden until the menu is opened.
    assert not navigation.get_by_role("link", name="Stakeholders").is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64, f"the folded header is {header['height']} px tall"
    page.locator(".site-menu > summary").click()
    assert navigation.get_by_role("link", name="Stakeholders").is_visible()
    page.screenshot(path=artifact("phone-staff-menu-open.png"), full_page=True)
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '.site-header a, .site-header button, .site-header select, .site-header summary')]
            .filter(element => element.offsetParent !== null)
            .map(element => [element.textContent.trim() || element.id, element.getBoundingClientRect()])
            .filter(([, box]) => box.height < 44 || box.width < 44)
            .map(([label, box]) => `${label}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""
    )
    assert small == []
    navigation.get_by_role("link", name="Stakeholders").click()
    page.wait_for_url("**/stakeholders/")


@closes_connections
def test_on_a_wide_screen_the_menu_is_always_open(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/dashboard/")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").is_visible()
    assert not page.locator(".site-menu > summary").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.screenshot(path=artifact("wide-staff-dashboard.png"))


# Each row of the coalition list at 360 px: how it is laid out, and the label its cells show.
COALITION_ROW = """() => {
  const table = document.querySelector('main table');
  const row = table.querySelector('tbody tr');
  const cell = row.querySelector('td[data-label]');
  return {
    table: getComputedStyle(table).display,
    row: getComputedStyle(row).display,
    cell: getComputedStyle(cell).display,
    label: getComputedStyle(cell, '::before').content,
    header: table.querySelector('thead').getBoundingClientRect().height,
    tableWidth: table.scrollWidth,
    rowWidth: row.getBoundingClientRect().width,
    window: window.innerWidth,
  };
}"""


@closes_connections
def test_on_a_phone_each_coalition_is_a_card(browser_page, world, artifact):
    page = browser_page
    page.login(world.staff_co)
    page.set_viewport_size(PHONE)
    for path in ("/coalitions/", "/initiatives/"):
        page.goto(path)
        page.screenshot(path=artifact(f"phone-cards-{path.strip('/')}.png"), full_page=True)
        layout = page.evaluate(COALITION_ROW)
        assert (layout["table"], layout["row"], layout["cell"]) == ("block", "block", "block"), layout
        assert layout["label"].strip('"') in {"Coalition", "Initiative"}
        assert layout["header"] <= 1, "the column headers are kept for screen readers only"
        assert layout["tableWidth"] <= layout["window"] and layout["rowWidth"] <= layout["window"], layout


@closes_connections
def test_on_a_wide_screen_the_coalitions_stay_a_table(browser_page, world):
    page = browser_page
    page.login(world.staff_co)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/coalitions/")
    layout = page.evaluate(COALITION_ROW)
    assert (layout["table"], layout["row"], layout["cell"]) == ("table", "table-row", "table-cell"), layout
