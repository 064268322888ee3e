from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import FieldsBuiltOnce, ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer

from ..models import Contact, Relationship, Stakeholder, Tag, duplicates_message
from ..services import stakeholder_tags_set, tag_names

BRIEF_FIELDS = ("id", "name", "acronym", "sector")


class StakeholderBriefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = list(BRIEF_FIELDS)


class TagField(serializers.SlugRelatedField):
    """A tag by name or by id. A name the stakeholder's country has no tag for makes one, as the page's
    tags field does (two spellings of a name, accents or case aside, are one tag); an id must be a tag of
    the stakeholder's country (checked in `StakeholderSerializer.validate`)."""

    default_error_messages = {
        "invalid": _("A tag is a name or the id of a tag of the stakeholder's country."),
        "too_long": _("A tag has at most %(max)d characters."),
        "does_not_exist": _("No tag with id %(value)s."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="name", queryset=Tag.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, int):
            user = self.context["request"].user
            tag = Tag.objects.visible_to(user).filter(pk=data).first()
            if tag is None:
                self.fail("does_not_exist", value=data)
            return tag
        names = tag_names(data)
        if len(names) != 1:
            self.fail("invalid")
        limit = Tag._meta.get_field("name").max_length
        if len(names[0]) > limit:
            raise serializers.ValidationError(self.error_messages["too_long"] % {"max": limit})
        return names[0]


class StakeholderSerializer(ValidatedModelSerializer):
    """Ids for regions; brief country and organisation. Its list is built from `.values()` rows (core.api.rows)."""

    country_brief = CountryBriefSerializer(source="country", read_only=True)
    organisation_brief = StakeholderBriefSerializer(source="organisation", read_only=True, allow_null=True)
    tags = TagField(
        many=True,
        required=False,
        help_text=(
            "The stakeholder's tags, by name (filter with `?tag=`). To write, send names or tag ids: a name the "
            "stakeholder's country has no tag for creates one there; an id of another country's tag is a 400. "
            "Leaving it out keeps the tags as they are."
        ),
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
        tags = attrs.pop("tags", None)
        attrs = super().validate(attrs)
        if tags is not None:
            country = attrs.get("country") or getattr(self.instance, "country", None)
            elsewhere = [tag.name for tag in tags if isinstance(tag, Tag) and tag.country_id != country.pk]
            if elsewhere:
                message = _("These tags are not tags of %(country)s: %(names)s.")
                raise serializers.ValidationError(
                    {"tags": [message % {"country": country.display_name, "names": ", ".join(elsewhere)}]}
                )
            attrs["tag_names"] = [tag.name if isinstance(tag, Tag) else tag for tag in tags]
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

    def create(self, validated_data: dict) -> Stakeholder:
        names = validated_data.pop("tag_names", None)
        stakeholder = super().create(validated_data)
        if names:
            stakeholder_tags_set(stakeholder=stakeholder, names=names)
        return stakeholder

    def update(self, instance: Stakeholder, validated_data: dict) -> Stakeholder:
        names = validated_data.pop("tag_names", None)
        stakeholder = super().update(instance, validated_data)
        if names is not None:
            # Through the page's service; the instance's prefetched tags are stale after it.
            stakeholder_tags_set(stakeholder=stakeholder, names=names)
            getattr(stakeholder, "_prefetched_objects_cache", {}).pop("tags", None)
        return stakeholder


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
