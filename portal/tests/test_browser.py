"""The partner portal in a real browser (Debian's Chromium): partner-co works with its coalition and the API."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_updates_its_commitment_logs_an_engagement_and_calls_the_api(browser_page, world, artifact):
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.login(world.partner_co)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your coalitions")
    expect(page.get_by_role("link", name=world.pe_coalition.name)).to_have_count(0)
    page.get_by_role("link", name=world.co_coalition.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.co_coalition.name)
    page.screenshot(path=artifact("portal-coalition.png"), full_page=True)

    # The commitment its organisation owns: status and evidence.
    page.locator("#plan").get_by_role("link", name="Update status and evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Update a commitment")
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Evidence").fill("https://example.org/rooftops.pdf")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Commitment updated.")).to_be_visible()

    # An engagement in its coalition.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your coalitions").click()
    page.get_by_role("link", name=world.co_coalition.name).click()
    page.get_by_role("link", name="Log an engagement").click()
    page.get_by_label("Title").fill("Taller en Manaure")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Occurred on").fill("2026-02-03")
    page.get_by_role("button", name="Log the engagement").click()
    expect(page.get_by_text("Engagement logged.")).to_be_visible()
    expect(page.locator("#engagements").get_by_text("Taller en Manaure")).to_be_visible()

    # A token, and a call to the API with it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Reporting script")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("new-token").locator("code").inner_text()
    # A browser context of its own, with no session: the token alone signs the calls in. (The ORM is
    # not used here: inside Playwright's greenlet it would open a connection the test never closes.)
    api = page.context.browser.new_context(base_url=page.live_server_url)
    headers = {"Authorization": f"Token {secret}"}
    coalitions = api.request.get("/api/v1/coalitions/", headers=headers)
    assert coalitions.status == 200
    assert [row["id"] for row in coalitions.json()["results"]] == [world.co_coalition.pk]
    commitment = api.request.get(f"/api/v1/commitments/{world.co_commitment.pk}/", headers=headers).json()
    assert (commitment["status"], commitment["evidence"]) == ("done", "https://example.org/rooftops.pdf")
    engagements = api.request.get(f"/api/v1/engagements/?coalition={world.co_coalition.pk}", headers=headers).json()
    assert "Taller en Manaure" in [row["title"] for row in engagements["results"]]
    api.close()
    assert violations == []
