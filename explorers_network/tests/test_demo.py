import pytest

from core import demo
from explorers_network.models import Campaign, ConsentEvent, Explorer

pytestmark = pytest.mark.django_db

DATA = demo.data_files("countries", "stakeholders", "accounts", "explorers_network")  # the campaign's author


def test_the_demo_has_explorers_in_every_state_and_loads_twice_without_change():
    demo.load(DATA)
    counts = (Explorer.objects.count(), ConsentEvent.objects.count(), Campaign.objects.count())
    demo.load(DATA)
    assert (Explorer.objects.count(), ConsentEvent.objects.count(), Campaign.objects.count()) == counts
    assert counts[0] >= 20
    assert set(Explorer.objects.values_list("status", flat=True)) == {"pending", "active", "unsubscribed"}
    for explorer in Explorer.objects.prefetch_related("consent_events"):
        actions = [event.action for event in explorer.consent_events.all()]
        assert ConsentEvent.status_after(actions) == explorer.status
