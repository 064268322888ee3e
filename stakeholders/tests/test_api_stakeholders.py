"""The stakeholder endpoint's hand-built rows say exactly what the declared serializer fields say."""

from rest_framework import serializers

from stakeholders.api.serializers import StakeholderSerializer
from stakeholders.models import Stakeholder


class DeclaredStakeholderSerializer(StakeholderSerializer):
    """The declared fields, rendered by DRF's own machinery (the reference the fast path must match)."""

    def to_representation(self, instance):
        return serializers.ModelSerializer.to_representation(self, instance)


def test_fast_representation_matches_the_declared_fields(world, rf):
    person = Stakeholder.objects.create(
        country=world.co, name="Ana Pérez", kind="person", sector="community", level="local", organisation=world.co_org
    )
    person.regions.set([world.guajira])
    request = rf.get("/")
    request.user = world.staff_co
    context = {"request": request}
    for row in Stakeholder.objects.filter(pk__in=[person.pk, world.co_org.pk]):
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
