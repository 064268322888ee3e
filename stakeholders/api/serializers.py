from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer

from ..models import Contact, Relationship, Stakeholder, duplicates_message

BRIEF_FIELDS = ("id", "name", "acronym", "sector")


class StakeholderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = list(BRIEF_FIELDS)


class StakeholderSerializer(ValidatedModelSerializer):
    """Ids for regions; brief country and organisation. Its list is built from `.values()` rows (core.api.rows)."""

    country_brief = CountryBriefSerializer(source="country", read_only=True)
    organisation_brief = StakeholderBriefSerializer(source="organisation", read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="The stakeholder's tags, by name (filter with `?tag=`)."
    )
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=(
            "On create: a name like another stakeholder's in the same country is refused with 400, the "
            "look-alikes named in the `name` error and their ids listed in `errors.possible_duplicates`; "
            "send `true` to create it anyway, once you know it is a different actor."
        ),
    )

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
            "municipality",
            "tags",
            "organisation",
            "organisation_brief",
            "description",
            "website",
            "confirm_not_duplicate",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs: dict) -> dict:
        confirmed = attrs.pop("confirm_not_duplicate", False)
        attrs = super().validate(attrs)
        if self.instance is None and not confirmed:
            duplicates = Stakeholder(name=attrs.get("name", ""), country=attrs.get("country")).possible_duplicates()
            if duplicates:
                raise serializers.ValidationError(
                    {
                        "name": [duplicates_message(duplicates)],
                        "possible_duplicates": [str(row.pk) for row in duplicates],
                    }
                )
        return attrs


class ContactSerializer(ValidatedModelSerializer):
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


class RelationshipSerializer(ValidatedModelSerializer):
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
        extra_kwargs = {"strength": bounded(Relationship, "relationship_strength_1_3", min_value=1, max_value=3)}
