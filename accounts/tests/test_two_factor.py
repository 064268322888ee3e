"""Two-step sign-in: enrolment, codes, recovery codes, enforcement per role, the admin, resets."""

import io
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import ObjectChange

from .conftest import sign_in, totp_code

VERIFY = "/accounts/two-factor/code/"
SETUP = "/accounts/two-factor/set-up/"


@pytest.fixture
def required(settings):
    """Production's policy: admins and staff must use two-step sign-in."""
    settings.TWO_FACTOR_REQUIRED_ROLES = {"admin", "staff"}


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """django-otp waits 1, 2, 4... seconds after a wrong code; tests that check it turn it back on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def verify(client, code, next_url="/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


def is_verified(client) -> bool:
    return "otp_device_id" in client.session


# Enrolment


def test_enrolment_shows_a_qr_code_and_the_key_and_confirms_with_a_code(world):
    client, _ = sign_in(world.partner_co)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # rendered on the server, no CDN, no script
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=world.partner_co, confirmed=False)
    assert secret.replace(" ", "") == __import__("base64").b32encode(device.bin_key).decode()
    response = client.post(SETUP, {"code": totp_code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/recovery-codes/")
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=world.partner_co).values_list("token", flat=True))
    # Shown once: the next visit only counts them.
    again = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert not re.findall(r"<li><code>", again)
    assert "10 unused recovery codes" in again


def test_enrolment_refuses_a_wrong_code(world):
    client, _ = sign_in(world.partner_co)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "That code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.partner_co, confirmed=True).exists()


def test_enrolment_pages_have_no_inline_script_or_style(world):
    client, _ = sign_in(world.partner_co)
    html = client.get(SETUP).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html


def test_setting_up_again_replaces_the_old_authenticator(world, enrolled):
    old, _codes = enrolled(world.staff_co)
    client = Client()
    client.force_login(world.staff_co)
    verify(client, totp_code(old))
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=world.staff_co, confirmed=False)
    client.post(SETUP, {"code": totp_code(new)})
    assert list(TOTPDevice.objects.filter(user=world.staff_co).values_list("pk", flat=True)) == [new.pk]


# Signing in with a code


def test_sign_in_with_a_code_from_the_app(world, enrolled):
    device, _codes = enrolled(world.partner_co)
    client, response = sign_in(world.partner_co)
    assert response["Location"].startswith(VERIFY)
    assert not is_verified(client)
    assert verify(client, totp_code(device), "/api/v1/coalitions/")["Location"] == "/api/v1/coalitions/"
    assert is_verified(client)
    assert client.get("/api/v1/coalitions/").status_code == 200


def test_a_wrong_code_is_refused_and_counted_as_a_failed_sign_in(world, enrolled):
    from accounts.models import SignInFailure

    device, _codes = enrolled(world.partner_co)
    client, _ = sign_in(world.partner_co)
    response = verify(client, "123456" if totp_code(device) != "123456" else "654321")
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert not is_verified(client)
    assert SignInFailure.objects.get(username="partner-co").failures_since_start == 1


def test_wrong_codes_lock_the_account_out(world, enrolled, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device, _codes = enrolled(world.partner_co)
    client, _ = sign_in(world.partner_co)
    assert [verify(client, "000000").status_code for _ in range(3)] == [200, 200, 429]
    assert verify(client, totp_code(device)).status_code == 429
    assert not is_verified(client)


def test_a_wrong_code_makes_the_next_try_wait(world, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device, _codes = enrolled(world.partner_co)
    client, _ = sign_in(world.partner_co)
    verify(client, "000000")
    response = verify(client, totp_code(device))
    assert "wait a few seconds" in response.content.decode()
    assert not is_verified(client)


def test_a_code_is_accepted_once(world, enrolled):
    device, _codes = enrolled(world.partner_co)
    code = totp_code(device)
    first, _ = sign_in(world.partner_co)
    assert verify(first, code).status_code == 302
    second, _ = sign_in(world.partner_co)
    assert verify(second, code).status_code == 200
    assert not is_verified(second)


def test_a_recovery_code_signs_in_once(world, enrolled):
    _device, codes = enrolled(world.partner_co)
    client, _ = sign_in(world.partner_co)
    response = verify(client, codes[0].upper()[:4] + "-" + codes[0][4:])  # as people type it
    assert response.status_code == 302
    assert is_verified(client)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["You signed in with a recovery code. 9 codes are left: make new ones soon."]
    again, _ = sign_in(world.partner_co)
    assert verify(again, codes[0]).status_code == 200
    assert not is_verified(again)


def test_new_recovery_codes_replace_the_old_ones(world, enrolled):
    device, codes = enrolled(world.partner_co)
    client, _ = sign_in(world.partner_co)
    verify(client, totp_code(device))
    response = client.post("/accounts/two-factor/recovery-codes/", follow=True)
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    other, _ = sign_in(world.partner_co)
    assert verify(other, codes[1]).status_code == 200
    assert verify(other, fresh[0]).status_code == 302


# Enforcement per role


def test_staff_without_a_device_is_sent_to_enrolment_after_the_password(world, required):
    _client, response = sign_in(world.staff_co)
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("url", ["/", "/countries/", "/stakeholders/", "/admin/", "/accounts/password_change/"])
def test_staff_without_a_device_can_do_nothing_else(world, required, url):
    client, _ = sign_in(world.staff_co)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_a_pending_session_gets_no_page_fragments(world, required):
    """The header's notifications badge loads by htmx: it must not receive the enrolment page."""
    client, _ = sign_in(world.staff_co)
    response = client.get("/notifications/badge/", headers={"hx-request": "true"})
    assert (response.status_code, response.content) == (403, b"")


def test_a_pending_session_is_anonymous_to_the_api(world, required):
    client, _ = sign_in(world.staff_co)
    assert client.get("/api/v1/coalitions/").status_code == 401


def test_staff_with_a_device_is_asked_for_a_code_and_then_gets_in(world, required, enrolled):
    device, _codes = enrolled(world.staff_co)
    client, response = sign_in(world.staff_co)
    assert response["Location"].startswith(VERIFY)
    assert client.get("/countries/")["Location"].startswith(VERIFY)
    verify(client, totp_code(device), "/countries/")
    assert client.get("/countries/").status_code == 200


def verified_client(user, device, *, steps_ahead: int = 0) -> Client:
    client, _ = sign_in(user)
    verify(client, totp_code(device, steps_ahead=steps_ahead))
    assert is_verified(client)
    return client


def test_a_verified_session_reads_no_device_on_its_pages(world, required, enrolled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    device, _codes = enrolled(world.staff_co)
    client = verified_client(world.staff_co, device)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/countries/").status_code == 200
    assert not [query["sql"] for query in queries if "otp_" in query["sql"]]


def test_giving_a_code_does_not_unverify_the_users_other_sessions(world, required, enrolled):
    device, _codes = enrolled(world.staff_co)
    first = verified_client(world.staff_co, device)
    verified_client(world.staff_co, device, steps_ahead=1)  # the code's save (its counter) changes no device
    assert first.get("/countries/").status_code == 200


def test_a_new_authenticator_asks_the_sessions_of_the_old_one_for_a_code(world, required, enrolled):
    from accounts.services import two_factor_enrol

    device, _codes = enrolled(world.staff_co)
    other = verified_client(world.staff_co, device)
    replacement = TOTPDevice.objects.create(user=world.staff_co, name="New phone", confirmed=False)
    two_factor_enrol(user=world.staff_co, device=replacement)
    assert other.get("/countries/")["Location"].startswith(VERIFY)
    assert not is_verified(other)
    verify(other, totp_code(replacement))
    assert other.get("/countries/").status_code == 200


def test_a_device_unconfirmed_in_the_admin_unverifies_its_sessions(world, enrolled):
    device, _codes = enrolled(world.partner_co)
    client = verified_client(world.partner_co, device)
    device.confirmed = False
    device.save()
    assert not client.get("/").wsgi_request.user.is_verified()
    assert not is_verified(client)


def test_a_session_signed_in_before_the_user_enrolled_asks_for_the_code(world, enrolled):
    client, _ = sign_in(world.partner_co)  # no device yet: a password is enough for a partner
    assert client.get("/tokens/").status_code == 200
    enrolled(world.partner_co)
    assert client.get("/tokens/")["Location"].startswith(VERIFY)


def test_staff_who_enrols_gets_in(world, required):
    client, _ = sign_in(world.staff_co)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.staff_co)
    client.post(SETUP, {"code": totp_code(device), "next": "/countries/"})
    assert client.get("/countries/").status_code == 200


def test_a_partner_is_not_forced_but_may_enrol(world, required):
    client, response = sign_in(world.partner_co)
    assert response["Location"] == reverse("portal:home")  # a partner's home: their portal
    assert client.get("/api/v1/coalitions/").status_code == 200
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.get(SETUP).status_code == 200


def test_a_partner_who_enrolled_must_give_a_code(world, required, enrolled):
    enrolled(world.partner_co)
    client, response = sign_in(world.partner_co)
    assert response["Location"].startswith(VERIFY)
    assert client.get("/api/v1/coalitions/").status_code == 401


def test_without_the_setting_staff_sign_in_with_a_password_alone(world):
    client, response = sign_in(world.staff_co)
    assert response["Location"] == "/dashboard/"
    assert client.get("/countries/").status_code == 200


def test_a_token_still_works_while_the_same_user_has_a_pending_session(world, required):
    from accounts.services import api_token_create

    _instance, token = api_token_create(user=world.staff_co)
    assert Client().get("/api/v1/coalitions/", headers={"authorization": f"Token {token}"}).status_code == 200


# The admin


def test_the_admin_asks_an_enrolled_admin_for_a_code(world, required, enrolled):
    device, _codes = enrolled(world.admin)
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    verify(client, totp_code(device), "/admin/")
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_a_pending_session_even_without_the_middleware(world, required, rf):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/admin/")
    request.user = world.admin
    request.user.otp_device = None
    request.session = SessionStore()
    assert not admin.site.has_permission(request)
    request.user.otp_device = object()
    assert admin.site.has_permission(request)


def test_the_admin_lets_an_unenrolled_admin_in_where_not_required(world):
    client = Client()
    client.post("/admin/login/", {"username": "admin", "password": "correct-horse-battery"})
    assert client.get("/admin/").status_code == 200


# Losing a device: the recovery path


def test_an_admin_resets_a_users_devices_and_it_is_recorded(world, enrolled, caplog):
    enrolled(world.staff_co)
    client = Client()
    client.force_login(world.admin)
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        response = client.post(
            "/admin/accounts/user/",
            {"action": "reset_two_factor", "_selected_action": [world.staff_co.pk]},
            follow=True,
        )
    assert "Two-step sign-in reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.staff_co).exists()
    assert not StaticToken.objects.filter(device__user=world.staff_co).exists()
    entry = reset_entry(world.staff_co)
    assert (entry.actor, entry.channel, entry.source) == (world.admin, "admin", "/admin/accounts/user/")
    reason = "lost device (admin action)"
    assert entry.changes == {"two_factor_devices": [2, 0], "two_factor_reset_reason": ["", reason]}
    assert "two-factor reset: user=staff-co by=admin" in caplog.text


def test_after_a_reset_an_enforced_user_enrols_again(world, required, enrolled):
    from accounts.services import two_factor_reset

    device, _codes = enrolled(world.staff_co)
    client, _ = sign_in(world.staff_co)
    verify(client, totp_code(device))
    two_factor_reset(user=world.staff_co, by=world.admin, reason="lost phone")
    assert client.get("/countries/")["Location"].startswith(SETUP)  # the verified session ends too


def test_the_reset_command_needs_an_admin_and_a_reason_and_records_it(world, enrolled):
    enrolled(world.staff_co)
    with pytest.raises(CommandError):
        call_command("two_factor_reset", "staff-co", "--by", "staff-pe", "--reason", "lost phone")
    out = io.StringIO()
    call_command("two_factor_reset", "staff-co", "--by", "admin", "--reason", "lost phone, video call", stdout=out)
    assert "Removed 2 device(s) of staff-co" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=world.staff_co).exists()
    entry = reset_entry(world.staff_co)
    assert (entry.actor, entry.channel, entry.source) == (world.admin, "command", "two_factor_reset")
    assert entry.changes["two_factor_reset_reason"] == ["", "lost phone, video call"]


def test_the_reset_reads_in_the_users_history_page(world, enrolled, admin_client):
    enrolled(world.staff_co)
    call_command("two_factor_reset", "staff-co", "--by", "admin", "--reason", "lost phone, video call")
    page = admin_client.get(f"/history/accounts.user/{world.staff_co.pk}/").content.decode()
    assert "Two-step sign-in devices" in page and "Why two-step sign-in was reset" in page
    assert "lost phone, video call" in page


def reset_entry(user) -> ObjectChange:
    """The history row of a reset: the only change of the user with the devices in it."""
    (entry,) = [e for e in ObjectChange.objects.filter(object_id=user.pk) if "two_factor_devices" in (e.changes or {})]
    return entry


def test_the_user_list_shows_who_uses_two_step_sign_in(world, enrolled):
    enrolled(world.staff_co)
    client = Client()
    client.force_login(world.admin)
    rows = client.get("/admin/accounts/user/").context["cl"].result_list
    assert {user.username for user in rows if user.two_factor_on} == {"staff-co"}
