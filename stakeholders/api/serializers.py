from rest_framework import serializers

from core.api.serializers import ConstrainedModelSerializer
from countries.api.serializers import CountryBriefSerializer

from ..models import Contact, Relationship, Stakeholder


class StakeholderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = ["id", "name", "acronym", "sector"]


class StakeholderSerializer(ConstrainedModelSerializer):
    """Lean on purpose: ids for regions, brief country and organisation from one joined query."""

    country_brief = CountryBriefSerializer(source="country", read_only=True)
    organisation_brief = StakeholderBriefSerializer(source="organisation", read_only=True, allow_null=True)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "kind",
            "name",
            "acronym",
            "sector",
            "level",
            "country",
            "country_brief",
            "regions",
            "organisation",
            "organisation_brief",
            "description",
            "website",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance: Stakeholder) -> dict:
        """The same body as the declared fields, built directly: the directory lists thousands of rows.

        Relies on the viewset's select_related/prefetch (country; regions and organisation
        through visible_to), so an organisation the user cannot see is null here too.
        """
        organisation = instance.organisation if instance.organisation_id else None
        timestamp = self.fields["created_at"].to_representation
        return {
            "id": instance.pk,
            "kind": instance.kind,
            "name": instance.name,
            "acronym": instance.acronym,
            "sector": instance.sector,
            "level": instance.level,
            "country": instance.country_id,
            "country_brief": {"id": instance.country.pk, "code": instance.country.code, "name": instance.country.name},
            "regions": [region.pk for region in instance.regions.all()],
            "organisation": organisation.pk if organisation else None,
            "organisation_brief": {
                "id": organisation.pk,
                "name": organisation.name,
                "acronym": organisation.acronym,
                "sector": organisation.sector,
            }
            if organisation
            else None,
            "description": instance.description,
            "website": instance.website,
            "created_at": timestamp(instance.created_at),
            "updated_at": timestamp(instance.updated_at),
        }


class ContactSerializer(ConstrainedModelSerializer):
    stakeholder_brief = StakeholderBriefSerializer(source="stakeholder", read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "stakeholder",
            "stakeholder_brief",
            "name",
            "position",
            "email",
            "phone",
            "preferred_language",
            "consent_given_at",
            "consent_source",
            "created_at",
            "updated_at",
        ]


class RelationshipSerializer(ConstrainedModelSerializer):
    source_brief = StakeholderBriefSerializer(source="source", read_only=True)
    target_brief = StakeholderBriefSerializer(source="target", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "source",
            "source_brief",
            "target",
            "target_brief",
            "kind",
            "strength",
            "since",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"strength": {"min_value": 1, "max_value": 3}}
