"""Signing in switches the pages to the user's preferred language."""

import pytest
from django.conf import settings

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True)


def test_a_spanish_speaker_signs_in_to_spanish_pages(client, world):
    world.staff_co.preferred_language = "es"
    world.staff_co.save()
    response = sign_in(client, world.staff_co)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert response.redirect_chain and response.content.decode().count('lang="es"') >= 1
    assert "Panel" in response.content.decode()


def test_an_english_speaker_on_a_spanish_browser_signs_in_to_english_pages(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = sign_in(client, world.staff_co)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_failed_sign_in_leaves_the_language_alone(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post("/accounts/login/", {"username": world.staff_co.username, "password": "wrong"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
