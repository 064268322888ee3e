"""The shared layout, sign-in, password reset and what a partner sees on staff pages."""

import re

import pytest
from django.template import Context, Template
from django.urls import get_script_prefix, reverse, set_script_prefix

STAFF_PAGES = ["/countries/", "/stakeholders/", "/relationships/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_user_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_partner_gets_403_pointing_to_the_api(partner_client, url):
    response = partner_client.get(url)
    assert response.status_code == 403
    assert b"/api/v1/docs/" in response.content


def test_layout_has_navigation_language_switcher_and_sign_out(staff_client):
    html = staff_client.get("/countries/").content.decode()
    for href in ("/", "/dashboard/", "/countries/", "/stakeholders/", "/coalitions/", "/relationships/"):
        assert f'href="{href}"' in html
    assert 'href="/countries/" aria-current="page"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'action="/accounts/logout/"' in html


def test_navigation_links_follow_the_script_prefix():
    """The navigation's addresses are reversed once per process, for each script prefix."""
    link = Template('{% load ui %}{% nav_link "stakeholders:stakeholder_list" "Stakeholders" "stakeholders" %}')
    before = get_script_prefix()
    try:
        for prefix in ("/", "/coalitions-app/", "/"):
            set_script_prefix(prefix)
            html = link.render(Context({"nav_section": "stakeholders"}))
            assert html == f'<a href="{prefix}stakeholders/" aria-current="page">Stakeholders</a>'
    finally:
        set_script_prefix(before)


def test_layout_has_no_inline_script_or_style(staff_client):
    html = staff_client.get("/countries/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert " style=" not in html
    assert "htmx-2.min.js" in html


def test_language_switcher_serves_spanish(staff_client):
    response = staff_client.post("/i18n/setlang/", {"language": "es", "next": "/countries/"})
    assert response.status_code == 302
    html = staff_client.get("/countries/").content.decode()
    assert '<html lang="es">' in html
    assert "Actores" in html


def test_login_page_signs_in_and_redirects(client, world):
    response = client.post(reverse("login"), {"username": "staff-co", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_a_partner_lands_on_the_partner_portal_not_on_a_staff_page(client, world):
    response = client.post(reverse("login"), {"username": "partner-co", "password": "correct-horse-battery"})
    assert response["Location"] == reverse("portal:home")
    assert client.get(response["Location"]).status_code == 200
    response = client.post(
        reverse("login") + "?next=/api/v1/coalitions/", {"username": "partner-co", "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/api/v1/coalitions/"  # a `next` the partner came with still wins


def test_login_shows_inline_error_for_wrong_password(client, world):
    response = client.post(reverse("login"), {"username": "staff-co", "password": "wrong"})
    assert response.status_code == 200
    assert b"form-errors" in response.content


def test_logout_is_a_post_and_returns_to_the_public_home(staff_client):
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("website:home")
    assert staff_client.get("/countries/").status_code == 302


@pytest.mark.parametrize("name", ["password_reset", "password_reset_done", "password_reset_complete", "login"])
def test_password_reset_pages_render_for_anonymous(client, db, name):
    assert client.get(reverse(name)).status_code == 200
