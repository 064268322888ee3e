"""The contacts import (stakeholders/contact_import.py) on an address-book export through its built-in
profile: stakeholders matched by name accent-blind, upsert by email or name, consent kept, scoped to
the user's country teams, all or nothing, idempotent."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from core.importers import read_table
from core.imports import get_kind, guess_mapping, import_with_profile
from stakeholders.contact_import import contacts_import
from stakeholders.models import Contact

pytestmark = pytest.mark.django_db
GOOGLE = Path(__file__).parent / "import_files" / "google_contacts.csv"


def import_google(user, *, dry_run: bool = False):
    kind = get_kind("contacts")
    profile = kind.profile("google-contacts")
    table = read_table(GOOGLE.read_bytes())
    mapping = guess_mapping(kind, table.header, profile)
    return import_with_profile(kind=kind, table=table, mapping=mapping, profile=profile, user=user, dry_run=dry_run)


def test_a_google_contacts_export_creates_and_updates_and_a_second_import_changes_nothing(world):
    consent = timezone.make_aware(datetime.datetime(2024, 3, 1))
    Contact.objects.filter(pk=world.co_contact.pk).update(consent_given_at=consent, consent_source="Signed form")
    report = import_google(world.staff_co)
    assert report.ok, [str(error) for error in report.errors]
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    maria = Contact.objects.get(email="maria@example.org")
    assert (maria.stakeholder, maria.name, maria.position) == (world.co_org, "María Epieyú", "Coordinadora")
    carlos = Contact.objects.get(name="Carlos Ipuana")  # "ALCALDIA DE URIBIA" is "Alcaldía de Uribia"
    assert carlos.stakeholder == world.co_mayor and carlos.email == ""
    ana = Contact.objects.get(pk=world.co_contact.pk)
    assert ana.position == "Secretaria de Planeación"
    assert (ana.consent_given_at, ana.consent_source) == (consent, "Signed form")  # an address book knows no consent
    again = import_google(world.staff_co)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_staff_of_another_country_cannot_import_its_contacts_and_nothing_is_written(world):
    report = import_google(world.staff_pe)
    assert len(report.errors) == 3
    assert "Organization 1 - Name: “Fundacion Energia Wayuu” is not a stakeholder of your country teams" in str(
        report.errors[0]
    )
    assert Contact.objects.count() == 2


def test_a_partner_may_not_import_contacts(world):
    assert not get_kind("contacts").may_import(world.partner_co)


def test_a_consent_date_without_its_source_is_refused_with_the_models_rule(world):
    report = contacts_import(
        file="stakeholder,name,consent_given_at\nAlcaldía de Uribia,Rosa Uriana,2024-05-31\n",
        user=world.staff_co,
        dry_run=False,
    )
    assert [error.message for error in report.errors] == ["Say how consent was given."]
    assert not Contact.objects.filter(name="Rosa Uriana").exists()


def test_every_problem_of_every_row_is_reported_and_nothing_is_written(world):
    report = contacts_import(
        file="stakeholder,name,email,preferred_language\n"
        "Nadie,Rosa,rosa@example.org,es\n"
        "Alcaldía de Uribia,Rosa,not-an-email,klingon\n"
        "Alcaldía de Uribia,Pedro,pedro@example.org,English\n",
        user=world.staff_co,
        dry_run=False,
    )
    assert [error.line for error in report.errors] == [2, 3]
    assert "preferred_language" in report.errors[1].message
    assert "email: " in report.errors[1].message  # the model's rule too, naming its column
    assert not Contact.objects.filter(name__in=["Rosa", "Pedro"]).exists()
