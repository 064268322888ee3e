"""Sign-in lockouts: per account and per client address, on every path that takes a credential
(the site, the admin, the second factor, reset links), ended by the cool-off or by an admin."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SignInFailure

from .conftest import sign_in

LIMIT = 3
IP_LIMIT = 5
COOL_OFF_MINUTES = 15


@pytest.fixture(autouse=True)
def limits(settings):
    import datetime

    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.SIGNIN_FAILURE_LIMIT_PER_IP = IP_LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=COOL_OFF_MINUTES)


def post_login(path, username, password, ip="127.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(path, {"username": username, "password": password})


def fail(path, username, times, ip="127.0.0.1"):
    return [post_login(path, username, "wrong", ip).status_code for _ in range(times)]


def signs_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


SIGN_IN_PATHS = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("path", SIGN_IN_PATHS)
def test_an_account_is_locked_after_the_configured_failures_even_with_the_right_password(world, path):
    assert fail(path, "admin", LIMIT - 1) == [200] * (LIMIT - 1)
    assert fail(path, "admin", 1) == [429]  # the failure that reaches the limit answers the lockout
    response = post_login(path, "admin", "correct-horse-battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    assert "paused for 15 minutes" in response.content.decode()


@pytest.mark.parametrize("path", SIGN_IN_PATHS)
def test_the_lockout_ends_after_the_cool_off(world, clock, path):
    fail(path, "admin", LIMIT)
    clock.advance(minutes=COOL_OFF_MINUTES - 1)
    assert post_login(path, "admin", "correct-horse-battery").status_code == 429
    clock.advance(minutes=1, seconds=1)
    assert signs_in(post_login(path, "admin", "correct-horse-battery"))


def test_a_locked_account_is_locked_from_every_address(world):
    for n in range(LIMIT):
        fail("/accounts/login/", "staff-co", 1, ip=f"198.51.100.{n}")
    assert post_login("/accounts/login/", "staff-co", "correct-horse-battery", ip="192.0.2.77").status_code == 429


def test_a_locked_account_does_not_lock_other_accounts_at_the_same_address(world):
    fail("/accounts/login/", "staff-co", LIMIT)
    assert signs_in(post_login("/accounts/login/", "staff-pe", "correct-horse-battery"))


def test_an_address_is_locked_after_its_own_limit_across_accounts(world):
    """Guessing one password for many accounts: no account reaches its limit, the address does."""
    usernames = ["staff-co", "staff-pe", "partner-co", "partner-pe", "nobody"]
    for username in usernames[: IP_LIMIT - 1]:
        assert fail("/accounts/login/", username, 1, ip="203.0.113.5") == [200]
    assert fail("/accounts/login/", usernames[IP_LIMIT - 1], 1, ip="203.0.113.5") == [429]
    assert post_login("/accounts/login/", "admin", "correct-horse-battery", ip="203.0.113.5").status_code == 429
    # Another address, and the same accounts, are not affected.
    assert signs_in(post_login("/accounts/login/", "staff-co", "correct-horse-battery", ip="203.0.113.6"))


def test_the_lockout_message_is_translated(world):
    fail("/accounts/login/", "admin", LIMIT)
    response = Client().post(
        "/accounts/login/",
        {"username": "admin", "password": "x"},
        headers={"accept-language": "es"},
    )
    assert response.status_code == 429
    assert "el inicio de sesión está en pausa durante 15 minutos" in response.content.decode()
    assert response["Retry-After"] == str(COOL_OFF_MINUTES * 60)


def test_made_up_reset_links_lock_the_address_out_of_the_password_reset(world, clock):
    client = Client(REMOTE_ADDR="203.0.113.8")
    answers = [client.get(f"/accounts/reset/MQ/made-up-{n}/").status_code for n in range(IP_LIMIT)]
    assert answers == [200] * (IP_LIMIT - 1) + [429]
    assert client.get(reverse("password_reset")).status_code == 429
    assert client.post(reverse("password_reset"), {"email": "a@example.org"}).status_code == 429
    assert (
        client.post("/accounts/login/", {"username": "admin", "password": "correct-horse-battery"}).status_code == 429
    )
    clock.advance(minutes=COOL_OFF_MINUTES, seconds=1)
    assert client.get(reverse("password_reset")).status_code == 200


def test_an_address_locked_by_failed_sign_ins_cannot_use_the_password_reset(world):
    for username in ["a", "b", "c", "d", "e"][:IP_LIMIT]:
        fail("/accounts/login/", username, 1, ip="203.0.113.4")
    client = Client(REMOTE_ADDR="203.0.113.4")
    assert client.post(reverse("password_reset"), {"email": "staff-co@example.org"}).status_code == 429


def test_an_account_lockout_does_not_block_its_password_reset_and_a_new_password_lifts_it(
    world, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    fail("/accounts/login/", "staff-co", LIMIT, ip="198.51.100.1")
    client = Client(REMOTE_ADDR="198.51.100.2")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("password_reset"), {"email": "staff-co@example.org"}).status_code == 302
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    new = {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    assert client.post(response.redirect_chain[-1][0], new).status_code == 302
    assert signs_in(post_login("/accounts/login/", "staff-co", "Another-long-pass-42", ip="198.51.100.1"))


def test_the_api_takes_no_password(world):
    """No API route signs in with a password (partners use tokens), so no API path needs a lockout."""
    response = Client().post(
        "/api/v1/coalitions/",
        {"username": "staff-co", "password": "correct-horse-battery"},
        content_type="application/json",
    )
    assert response.status_code == 401


# The admin's view of lockouts.


@pytest.fixture
def superuser_client(world):
    client = Client()
    client.force_login(world.admin)
    return client


def test_admins_see_who_is_locked_out(world, superuser_client):
    fail("/accounts/login/", "staff-co", LIMIT, ip="198.51.100.7")
    fail("/accounts/login/", "staff-pe", 1, ip="198.51.100.8")
    html = superuser_client.get("/admin/accounts/signinfailure/?locked=yes").content.decode()
    assert "staff-co" in html and "198.51.100.7" in html
    assert "staff-pe" not in html


def test_an_admin_lifts_a_lockout_and_the_user_signs_in_at_once(world, superuser_client):
    fail("/accounts/login/", "staff-co", LIMIT, ip="198.51.100.7")
    fail("/accounts/login/", "staff-pe", 1, ip="198.51.100.9")
    failures = SignInFailure.objects.filter(username="staff-co")
    response = superuser_client.post(
        "/admin/accounts/signinfailure/",
        {"action": "lift", "_selected_action": [str(pk) for pk in failures.values_list("pk", flat=True)]},
        follow=True,
    )
    assert "may sign in again now" in response.content.decode()
    assert not failures.exists()
    assert SignInFailure.objects.filter(username="staff-pe").exists()  # others stay counted
    assert signs_in(post_login("/accounts/login/", "staff-co", "correct-horse-battery", ip="198.51.100.7"))


def test_lifting_needs_the_right_to_delete_failures(world):
    fail("/accounts/login/", "staff-co", LIMIT)
    world.staff_pe.is_staff = True
    world.staff_pe.save()
    client = Client()
    client.force_login(world.staff_pe)
    assert client.get("/admin/accounts/signinfailure/").status_code == 403
    assert SignInFailure.objects.filter(username="staff-co").exists()


def test_failures_are_shared_by_every_web_process(world):
    """Failures are database rows, not process memory: any worker sees another's."""
    fail("/accounts/login/", "staff-co", LIMIT)
    assert SignInFailure.objects.filter(username="staff-co").get().failures_since_start == LIMIT


def test_a_successful_sign_in_is_not_counted_as_a_failure(world):
    _client, response = sign_in(world.staff_co)
    assert response.status_code == 302
    assert not SignInFailure.objects.exists()
