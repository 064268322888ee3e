"""The hot lists built from `.values()` rows (core.api.rows) answer exactly what their serializers answer."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from coalitions.api.serializers import AssessmentSerializer
from coalitions.models import Assessment
from core.api.permissions import STAFF_ONLY
from core.api.rows import _for_page, row_plan

from .api_resources import ROUTERS, make_rows
from .test_api_query_counts import token_client

#: (prefix, viewset, basename) of every list whose pages come from a plan.
SEAMED = [
    (prefix, viewset, basename)
    for router in ROUTERS
    for prefix, viewset, basename in router.registry
    if getattr(viewset, "rows_from_values", False)
]
CASES = [
    pytest.param(prefix, viewset, basename, persona, id=f"{basename}-{persona}")
    for prefix, viewset, basename in SEAMED
    for persona in ("staff_co", "partner_co")
    if not (persona == "partner_co" and basename in STAFF_ONLY)
]


def test_the_hot_lists_use_the_seam():
    assert {basename for _, _, basename in SEAMED} >= {"stakeholder", "membership"}


def messy(world) -> None:
    """Relations a partner cannot follow, many-to-many values and empty optional values."""
    world.co_mayor.organisation = world.pe_company  # out of partner-co's sight: null for them
    world.co_mayor.save()
    world.co_org.organisation = world.co_mayor
    world.co_org.acronym = ""
    world.co_org.save()
    world.co_org.regions.add(world.guajira)


@pytest.mark.parametrize(("prefix", "viewset", "basename", "persona"), CASES)
@pytest.mark.parametrize("mode", ["page", "cursor"])
def test_the_seam_answers_what_the_serializer_answers(world, monkeypatch, prefix, viewset, basename, persona, mode):
    make_rows(world, basename, 3)
    messy(world)
    client = token_client(getattr(world, persona))
    url = f"/api/v1/{prefix}/?page_size=100" + ("&mode=cursor" if mode == "cursor" else "")
    plan = row_plan(viewset.serializer_class)
    assert plan is not None and plan.usable(viewset.scoped_relations)  # the seam really builds this list

    seamed = client.get(url)
    monkeypatch.setattr(viewset, "rows_from_values", False)
    plain = client.get(url)

    assert seamed.status_code == plain.status_code == 200
    assert seamed.json() == plain.json()
    assert len(seamed.json()["results"]) >= 2


def test_the_initiative_map_answers_what_the_serializer_answers(world):
    messy(world)
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=world.co_assessment.assessed_on,
        power=1,
        capabilities=2,
        interest=5,
    )
    client = token_client(world.staff_co)

    seamed = client.get(f"/api/v1/initiatives/{world.co_initiative.pk}/map/").json()

    latest = (
        Assessment.objects.filter(initiative=world.co_initiative)
        .latest()
        .select_related("stakeholder", "initiative")
        .order_by("stakeholder__name", "stakeholder_id")
    )
    assert len(seamed) == 2
    assert [row.pop("movement") for row in seamed] == [None, None]  # without `since`
    assert seamed == AssessmentSerializer(latest, many=True).data


def test_a_method_field_leaves_the_list_to_the_serializer():
    from rest_framework import serializers

    from stakeholders.api.serializers import StakeholderSerializer

    class WithMethod(StakeholderSerializer):
        shout = serializers.SerializerMethodField()

        class Meta(StakeholderSerializer.Meta):
            fields = [*StakeholderSerializer.Meta.fields, "shout"]

        def get_shout(self, obj):
            return obj.name.upper()

    assert row_plan(StakeholderSerializer) is not None
    assert row_plan(WithMethod) is None


@pytest.mark.parametrize("zone", ["America/Bogota", "UTC", "Asia/Kolkata"])
def test_a_page_writes_date_times_as_the_field_does_in_any_time_zone(zone):
    field = serializers.DateTimeField()
    moments = [
        datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 6, 1, 3, 4, 5, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 8, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid")),
    ]
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        convert = _for_page(field.to_representation)
        assert [convert(moment) for moment in moments] == [field.to_representation(moment) for moment in moments]
