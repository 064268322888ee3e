"""The language switch: a signed-in user's choice becomes their preferred language (kept across
sign-ins, used for their mails); an anonymous visitor only gets Django's cookie."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.services import user_language_set
from coalitions.models import Engagement
from conftest import PASSWORD
from notifications.services import reminders_send

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def switch(client, language, next_url="/countries/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_switch_keeps_the_choice_through_signing_out_and_in(client, world, django_capture_on_commit_callbacks):
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    client.post("/accounts/login/", {"username": "staff-co", "password": PASSWORD})
    assert switch(client, "es").status_code == 302
    world.staff_co.refresh_from_db()
    assert world.staff_co.preferred_language == "es"

    client.post("/accounts/logout/")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.post("/accounts/login/", {"username": "staff-co", "password": PASSWORD}, follow=True)
    assert '<html lang="es"' in response.content.decode()

    # A mail to them afterwards is in Spanish too.
    Engagement.objects.filter(pk=world.co_engagement.pk).update(follow_up_on=TODAY, follow_up="Llamar")
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=TODAY)
    (sent,) = mail.outbox
    assert sent.subject == "Seguimiento pendiente: Taller Uribia"
    assert "Hola" in sent.body


def test_switching_back_to_english_is_kept_too(staff_client, world):
    world.staff_co.preferred_language = "es"
    world.staff_co.save()
    switch(staff_client, "en")
    world.staff_co.refresh_from_db()
    assert world.staff_co.preferred_language == "en"


def test_an_anonymous_visitor_gets_only_the_cookie(client, world):
    response = switch(client, "es", "/")
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert set(type(world.staff_co).objects.values_list("preferred_language", flat=True)) == {"en"}


def test_the_switch_does_not_send_anyone_off_the_site(staff_client):
    response = switch(staff_client, "es", "https://evil.example.com/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(staff_client, world):
    switch(staff_client, "xx")
    world.staff_co.refresh_from_db()
    assert world.staff_co.preferred_language == "en"


def test_the_switch_refuses_a_get_and_a_post_without_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff_co)
    assert client.get(reverse("set_language")).status_code == 405
    assert switch(client, "es").status_code == 403
    world.staff_co.refresh_from_db()
    assert world.staff_co.preferred_language == "en"


def test_the_service_refuses_a_language_not_offered(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        user_language_set(user=world.staff_co, language="fr")
    assert user_language_set(user=world.staff_co, language="es") is True
    assert user_language_set(user=world.staff_co, language="es") is False
