"""The personal-data registry names real models and fields, and misses no address or phone column.

Generated from the registry: a renamed or removed field fails here, not in an erasure that would
silently leave the renamed column behind.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core.personal_data import DELETE, SCRUB, holdings, subject_kinds

HOLDINGS = holdings()

#: Columns that look personal but hold no data subject's data, and why.
NOT_A_DATA_SUBJECT = {
    "accounts.User.email": "staff and partner accounts: people who work with the platform, not data subjects here",
}


@pytest.mark.parametrize(
    ("label", "name"),
    [(holding.label, name) for holding in HOLDINGS for name in holding.fields],
    ids=lambda value: str(value),
)
def test_every_registered_field_exists(label, name):
    model = apps.get_model(label)
    field = model._meta.get_field(name)
    assert field.concrete or field.many_to_many, f"{label}.{name} is not a column or a many-to-many field"


@pytest.mark.parametrize("holding", HOLDINGS, ids=lambda holding: holding.label)
def test_every_holding_says_what_it_is_and_how_it_is_erased(holding):
    assert str(holding.description)
    assert holding.erase in {DELETE, SCRUB}
    assert holding.fields


@pytest.mark.parametrize("kind", subject_kinds().values(), ids=lambda kind: kind.name)
def test_every_kind_of_person_is_scoped_searchable_and_has_a_page(kind):
    manager = kind.model._default_manager
    assert hasattr(manager.all(), "editable_by"), "erasure and export check editable_by"
    for name in (*kind.search_fields, kind.email_field):
        kind.model._meta.get_field(name)
    assert kind.label in {holding.label for holding in HOLDINGS if holding.is_record}
    assert "get_absolute_url" in vars(kind.model)


def test_the_people_and_every_copy_are_registered():
    registered = {holding.label for holding in HOLDINGS}
    assert set(subject_kinds()) == {"explorer", "contact", "sender"}
    assert {
        "explorers_network.Explorer",
        "stakeholders.Contact",
        "explorers_network.ContactRequest",
        "explorers_network.ContactRequestNote",
        "notifications.Notification",
        "outbox.Delivery",
        "core.ObjectChange",
    } <= registered


def test_every_address_and_phone_column_is_registered():
    """A new email or phone column of a project model is personal data: register it (or say why not)."""
    registered = {f"{holding.label}.{name}" for holding in HOLDINGS for name in holding.fields}
    missing = [
        f"{model._meta.label}.{field.name}"
        for app in settings.PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.EmailField) or "phone" in field.name
    ]
    assert [name for name in missing if name not in registered and name not in NOT_A_DATA_SUBJECT] == []
