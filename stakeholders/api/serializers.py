from rest_framework import serializers

from core.api.rows import briefs, datetime_text, joined_brief
from core.api.serializers import ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer

from ..models import Contact, Relationship, Stakeholder
from ..regions import regions_by_stakeholder

BRIEF_FIELDS = ("id", "name", "acronym", "sector")


class StakeholderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stakeholder
        fields = list(BRIEF_FIELDS)


class StakeholderSerializer(ValidatedModelSerializer):
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
        through visible_to), so an organisation the user cannot see is null here too. Region ids
        are in id order, as in the list (`stakeholder_rows`).
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
            "regions": sorted(region.pk for region in instance.regions.all()),
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


#: The `.values()` columns of `stakeholder_rows`; `ORGANISATION_COLUMNS` join the organisation (staff only).
ROW_COLUMNS = (
    "id",
    "kind",
    "name",
    "acronym",
    "sector",
    "level",
    "country",
    "country__code",
    "country__name",
    "organisation",
    "description",
    "website",
    "created_at",
    "updated_at",
)
ORGANISATION_COLUMNS = tuple(f"organisation__{field}" for field in BRIEF_FIELDS)


def stakeholder_rows(page: list[dict], user, organisation_joined: bool) -> list[dict]:
    """`StakeholderSerializer`'s rows for a page of `.values(*ROW_COLUMNS)` rows, in two queries at most.

    With `organisation_joined` (staff, who see every stakeholder) the rows carry
    `ORGANISATION_COLUMNS`; otherwise the organisations come from `visible_to(user)`, so one the
    user may not see is null, as in the serializer.
    """
    regions = regions_by_stakeholder([row["id"] for row in page])
    if not organisation_joined:
        organisations = briefs(user, Stakeholder, (row["organisation"] for row in page), BRIEF_FIELDS)
    timestamp = datetime_text()
    rows = []
    for row in page:
        if organisation_joined:
            organisation = joined_brief(row, "organisation", BRIEF_FIELDS)
        else:
            organisation = organisations.get(row["organisation"])
        rows.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "name": row["name"],
                "acronym": row["acronym"],
                "sector": row["sector"],
                "level": row["level"],
                "country": row["country"],
                "country_brief": {"id": row["country"], "code": row["country__code"], "name": row["country__name"]},
                "regions": regions.get(row["id"], []),
                "organisation": organisation["id"] if organisation else None,
                "organisation_brief": organisation,
                "description": row["description"],
                "website": row["website"],
                "created_at": timestamp(row["created_at"]),
                "updated_at": timestamp(row["updated_at"]),
            }
        )
    return rows


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
