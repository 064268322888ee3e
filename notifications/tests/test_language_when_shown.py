"""A notification is written in the language of whoever reads it, when they read it: the page's
language on the list, the recipient's preferred language in the mail."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import translation

from coalitions.models import Commitment, Engagement
from notifications.models import Kind, Notification
from notifications.services import digests_send, partner_write_notify, reminders_send

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def list_page(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/notifications/").content.decode()


def follow_up_due(world, language: str, django_capture_on_commit_callbacks) -> None:
    Engagement.objects.filter(pk=world.co_engagement.pk).update(follow_up_on=TODAY, follow_up="Llamar a la alcaldesa")
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=TODAY)


def test_created_in_english_reads_in_spanish(world, staff_client, django_capture_on_commit_callbacks):
    follow_up_due(world, "en", django_capture_on_commit_callbacks)
    html = list_page(staff_client, "es")
    assert "Seguimiento pendiente: Taller Uribia" in html
    assert "Follow-up due" not in html
    assert "Llamar a la alcaldesa" in html


def test_created_in_spanish_reads_in_english(world, staff_client, django_capture_on_commit_callbacks):
    world.staff_co.preferred_language = "es"
    world.staff_co.save()
    follow_up_due(world, "es", django_capture_on_commit_callbacks)
    html = list_page(staff_client, "en")
    assert "Follow-up due: Taller Uribia" in html
    assert "Seguimiento pendiente" not in html


def test_the_mail_is_in_the_recipients_language_whatever_is_active(world, django_capture_on_commit_callbacks):
    world.staff_co.email = "co@example.org"
    world.staff_co.preferred_language = "es"
    world.staff_co.save()
    follow_up_due(world, "en", django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    assert sent.subject == "Seguimiento pendiente: Taller Uribia"


def test_an_overdue_date_is_in_the_readers_format(world, staff_client, django_capture_on_commit_callbacks):
    Commitment.objects.filter(pk=world.co_commitment.pk).update(due_on=datetime.date(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=TODAY)
    assert "Vencido desde el 02/03/2026: Map rooftops" in list_page(staff_client, "es")
    assert "Overdue since 2 Mar 2026: Map rooftops" in list_page(staff_client, "en")


def test_the_digest_body_reads_in_the_viewers_language(world, staff_client, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        digests_send(today=TODAY)
    notification = Notification.objects.get(user=world.staff_co, kind=Kind.DIGEST)
    assert notification.title == "" and notification.body == ""
    html = list_page(staff_client, "es")
    assert "Su resumen semanal, 2026-W10" in html and "Encuentros: 0" in html


def test_a_partner_write_names_the_record_in_the_readers_language(world, staff_client):
    partner_write_notify(
        coalition_id=world.co_coalition.pk, user=world.partner_co, action="created", obj=world.co_engagement
    )
    with translation.override("en"):
        english = str(Notification.objects.get(user=world.staff_co))
    assert english.startswith("Fundación Energía Wayuu created")
    with translation.override("es"):
        spanish = str(Notification.objects.get(user=world.staff_co))
    assert spanish.startswith("Fundación Energía Wayuu creó encuentro “")
    assert spanish.endswith("” en Coalición La Guajira")
    assert "Fundación Energía Wayuu creó" in list_page(staff_client, "es")


def test_the_data_migration_keys_the_old_titles_in_either_language(world, staff_client):
    migration = importlib.import_module("notifications.migrations.0003_notification_messages_from_titles")
    rows = [
        ("follow_up", "a", "Follow-up due: Taller Uribia"),
        ("commitment_overdue", "b", "Vencido desde el 2026-03-02: Map rooftops"),
        ("contact_request", "c", "New contact request from Nadia Tan (CO)"),
        ("partner_write", "d", "Fundación Energía Wayuu updated engagement “Taller Uribia” in Coalición La Guajira"),
        ("follow_up", "e", "Something nobody wrote a message for"),
    ]
    for kind, key, title in rows:
        Notification.objects.create(user=world.staff_co, kind=kind, key=key, title=title)
    migration.forwards(apps, None)
    keyed = dict(Notification.objects.values_list("key", "message"))
    assert keyed == {
        "a": "follow_up_due",
        "b": "commitment_overdue",
        "c": "contact_request",
        "d": "partner_write",
        "e": "",
    }
    assert Notification.objects.get(key="d").params["model"] == "coalitions.engagement"
    html = list_page(staff_client, "es")
    assert "Seguimiento pendiente: Taller Uribia" in html
    assert "Nueva solicitud de contacto de Nadia Tan (CO)" in html
    assert "Something nobody wrote a message for" in html
    assert "Overdue since 2 Mar 2026: Map rooftops" in list_page(staff_client, "en")
