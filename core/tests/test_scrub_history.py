"""scrub_history takes a person's data out of the history: values, names, mentions by other rows."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType

from core.history.recording import scrub_history
from core.models import ObjectChange
from explorers_network.models import Campaign, Explorer, Topic
from stakeholders.models import Contact

pytestmark = pytest.mark.django_db


def dump() -> str:
    rows = ObjectChange.objects.values("object_repr", "changes", "serialized_data", "changes_text")
    return json.dumps(list(rows), ensure_ascii=False)


def test_a_contacts_data_leaves_every_change_of_it_and_the_changes_stay(world):
    contact = world.co_contact
    contact.phone = "+57 311 555 0101"
    contact.save()
    scrubbed = scrub_history(contact, fields=["name", "email", "phone", "position"])
    assert scrubbed == 2
    history = dump()
    for value in ("Ana Pérez", "ana@example.org", "+57 300", "+57 311 555 0101"):
        assert value not in history
    changes = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Contact), object_id=contact.pk)
    assert [(c.action, c.object_repr) for c in changes.order_by("pk")] == [(0, "[erased]"), (1, "[erased]")]
    assert changes.order_by("pk").last().changes == {"phone": ["[erased]", "[erased]"]}
    assert "Luis Rojas" in history  # another person's history is left alone


def test_an_erased_explorer_leaves_no_trace_even_after_the_row_is_deleted(world):
    topic = Topic.objects.create(name="Agua", slug="agua")
    explorer = Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="PE")
    explorer.interests.add(topic)
    pk = explorer.pk
    explorer.delete()
    scrub_history(model=Explorer, pk=pk, fields=["name", "email", "organisation", "role"])
    history = dump()
    assert "Eva Quispe" not in history and "eva@example.org" not in history
    assert (
        ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Explorer), object_id=pk).count() == 3
    )


def test_mentions_in_other_rows_many_to_many_changes_are_scrubbed_too(world):
    topic = Topic.objects.create(name="Nombre de una persona", slug="persona")
    campaign = Campaign.objects.create(subject="Hola", body="x")
    campaign.audience_interests.add(topic)
    scrub_history(topic, fields=["name", "slug"])
    assert "Nombre de una persona" not in dump()
    change = ObjectChange.objects.filter(object_id=campaign.pk, changes__has_key="audience_interests").get()
    assert change.changes["audience_interests"]["objects"] == ["[erased]"]


def test_scrub_history_needs_a_row_or_a_model_and_a_key():
    with pytest.raises(ValueError):
        scrub_history(fields=["name"])


def test_erasing_an_explorer_from_its_page_leaves_nothing_of_them_in_the_history(world, staff_client):
    from explorers_network.models import ContactRequest

    explorer = Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="CO", role="Alcaldesa")
    ContactRequest.objects.create(
        name="Eva Quispe", email="eva@example.org", country="CO", message="Llámame al 999 111 222", ip_hash="x"
    )
    assert "Eva Quispe" in dump() and "999 111 222" in dump()
    assert staff_client.post(f"/personal-data/explorer/{explorer.pk}/erase/").status_code == 302
    history = dump()
    for value in ("Eva Quispe", "eva@example.org", "999 111 222", "Alcaldesa"):
        assert value not in history
