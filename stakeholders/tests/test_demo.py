"""The stakeholders demo data loads and loads again without change."""

import io

from stakeholders import demo
from stakeholders.models import Relationship, Stakeholder


def test_demo_is_idempotent(db):
    demo.load(io.StringIO())
    counts = (Stakeholder.objects.count(), Relationship.objects.count())
    demo.load(io.StringIO())
    assert (Stakeholder.objects.count(), Relationship.objects.count()) == counts == (len(demo.ACTORS), len(demo.TIES))
