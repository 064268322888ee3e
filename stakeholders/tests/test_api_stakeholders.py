"""The stakeholder endpoint's hand-built rows say exactly what the declared serializer fields say."""

import pytest
from rest_framework import serializers

from stakeholders.api.serializers import StakeholderSerializer
from stakeholders.api.views import StakeholderViewSet
from stakeholders.models import Stakeholder


class DeclaredStakeholderSerializer(StakeholderSerializer):
    """The declared fields, rendered by DRF's own machinery (the reference the fast path must match)."""

    def to_representation(self, instance):
        return serializers.ModelSerializer.to_representation(self, instance)


def test_fast_representation_matches_the_declared_fields(world, rf):
    person = Stakeholder.objects.create(
        country=world.co, name="Ana Pérez", kind="person", sector="community", level="local", organisation=world.co_org
    )
    person.regions.set([world.guajira, *world.co.regions.exclude(pk=world.guajira.pk).order_by("-pk")[:2]])
    request = rf.get("/")
    request.user = world.staff_co
    context = {"request": request}
    for row in StakeholderViewSet.queryset.filter(pk__in=[person.pk, world.co_org.pk]):
        assert (
            StakeholderSerializer(row, context=context).data == DeclaredStakeholderSerializer(row, context=context).data
        )


def test_a_persons_organisation_the_partner_cannot_see_is_null(partner_api, world):
    hidden = Stakeholder.objects.create(country=world.co, name="Empresa X", sector="private", level="local")
    person = Stakeholder.objects.create(
        country=world.co, name="Luis", kind="person", sector="private", level="local", organisation=hidden
    )
    from coalitions.models import Membership

    Membership.objects.create(coalition=world.co_coalition, stakeholder=person, joined_on="2026-01-01")
    row = partner_api.get(f"/api/v1/stakeholders/{person.pk}/").json()
    assert row["organisation"] is None and row["organisation_brief"] is None


@pytest.mark.parametrize("persona", ["staff_co", "partner_co"])
def test_each_row_of_the_list_is_what_the_detail_answers(world, persona):
    """The list is built from `.values()` rows for speed; a client must not see the difference."""
    from rest_framework.test import APIClient

    from coalitions.models import Membership

    hidden = Stakeholder.objects.create(country=world.co, name="Empresa X", sector="private", level="local")
    for name, organisation in (("Ana", world.co_org), ("Luis", hidden)):
        person = Stakeholder.objects.create(
            country=world.co, name=name, kind="person", sector="community", level="local", organisation=organisation
        )
        person.regions.set(world.co.regions.order_by("-pk")[:3])
        Membership.objects.create(coalition=world.co_coalition, stakeholder=person, joined_on="2026-01-01")
    client = APIClient()
    client.force_authenticate(getattr(world, persona))
    for url in ("/api/v1/stakeholders/", "/api/v1/stakeholders/?mode=cursor&page_size=2"):
        rows = []
        while url:  # every page, so the cursor positions of `.values()` rows are exercised too
            body = client.get(url).json()
            rows += body["results"]
            url = body["next"]
        assert len(rows) >= 4
        for row in rows:
            assert row == client.get(f"/api/v1/stakeholders/{row['id']}/").json()
        luis = next(row for row in rows if row["name"] == "Luis")
        if persona == "partner_co":  # an organisation the partner may not see is null, as in the detail
            assert luis["organisation"] is None and luis["organisation_brief"] is None
        else:
            assert luis["organisation_brief"]["name"] == "Empresa X"
