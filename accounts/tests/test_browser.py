"""Two-step sign-in in a real browser (Debian's Chromium): enrol with the key shown, sign in with a code."""

import base64
import re

import pytest
from playwright.sync_api import expect

from .conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Phone:
    """The authenticator app: it knows only the key the page showed."""

    def __init__(self, key_text: str) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        self.device = TOTPDevice(key=base64.b32decode(key_text.replace(" ", "")).hex())

    def code(self, steps_ahead: int = 0) -> str:
        return totp_code(self.device, steps_ahead=steps_ahead)


def test_staff_enrol_an_authenticator_and_sign_in_with_its_code(browser_page, world, settings, artifact):
    settings.TWO_FACTOR_REQUIRED_ROLES = {"admin", "staff"}
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code (test_two_factor checks the wait)
    page = browser_page
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.login(world.staff_co)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    page.screenshot(path=artifact("two-factor-setup.png"), full_page=True)
    phone = Phone(page.get_by_test_id("totp-secret").inner_text())
    page.goto("/countries/")  # nothing else opens before enrolment
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")

    page.get_by_label("Code from the app").fill(phone.code())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Countries")

    page.get_by_role("button", name="Sign out").click()
    page.login(world.staff_co)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    page.get_by_label("Code").fill("000000" if phone.code(1) != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is not valid")).to_be_visible()
    # The enrolment used this step's code, and a code is accepted once: the phone shows the next one.
    page.get_by_label("Code").fill(phone.code(1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert violations == []
