from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer
from stakeholders.api.serializers import StakeholderBriefSerializer

from ..models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome
from ..services import coalition_create, engagement_log

TIMESTAMPS = ["created_at", "updated_at"]
INITIATIVE_BRIEF = ("id", "name")
COALITION_BRIEF = ("id", "name", "status")


class InitiativeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Initiative
        fields = list(INITIATIVE_BRIEF)


class CoalitionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Coalition
        fields = list(COALITION_BRIEF)


class InitiativeSerializer(ValidatedModelSerializer):
    country_brief = CountryBriefSerializer(source="country", read_only=True)
    lead_brief = StakeholderBriefSerializer(source="lead", read_only=True, allow_null=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "country",
            "country_brief",
            "regions",
            "level",
            "name",
            "shared_objective",
            "shared_objective_es",
            "phase",
            "starts_on",
            "ends_on",
            "lead",
            "lead_brief",
            "is_public",
            *TIMESTAMPS,
        ]


class AssessmentSerializer(ValidatedModelSerializer):
    stakeholder_brief = StakeholderBriefSerializer(source="stakeholder", read_only=True)
    initiative_brief = InitiativeBriefSerializer(source="initiative", read_only=True)
    # The author's id, read from the row: the scoped field would load each author (a query per row).
    assessed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "stakeholder",
            "stakeholder_brief",
            "initiative",
            "initiative_brief",
            "assessed_on",
            "power",
            "capabilities",
            "interest",
            "stance",
            "rationale",
            "assessed_by",
            *TIMESTAMPS,
        ]
        read_only_fields = ["assessed_by"]
        extra_kwargs = {
            name: bounded(Assessment, f"assessment_{name}_1_5", min_value=1, max_value=5)
            for name in ("power", "capabilities", "interest")
        }


class CoalitionSerializer(ValidatedModelSerializer):
    initiative_brief = InitiativeBriefSerializer(source="initiative", read_only=True, allow_null=True)
    parent_brief = CoalitionBriefSerializer(source="parent", read_only=True, allow_null=True)

    class Meta:
        model = Coalition
        fields = [
            "id",
            "initiative",
            "initiative_brief",
            "name",
            "level",
            "regions",
            "parent",
            "parent_brief",
            "shared_goal",
            "shared_goal_es",
            "status",
            "formed_on",
            "is_public",
            "objectives",
            *TIMESTAMPS,
        ]

    def create(self, validated_data: dict) -> Coalition:
        """Through the service the staff page uses too: one way to create a coalition."""
        regions = validated_data.pop("regions", [])
        objectives = validated_data.pop("objectives", [])
        return coalition_create(fields=validated_data, regions=regions, objectives=objectives)


class CoalitionHealthSerializer(serializers.Serializer):
    members_active = serializers.IntegerField()
    sectors_represented = serializers.IntegerField()
    engagements_last_90_days = serializers.IntegerField()
    commitments_done = serializers.IntegerField()
    commitments_overdue = serializers.IntegerField()
    commitments_open = serializers.IntegerField()


class MembershipSerializer(ValidatedModelSerializer):
    coalition_brief = CoalitionBriefSerializer(source="coalition", read_only=True, allow_null=True)
    stakeholder_brief = StakeholderBriefSerializer(source="stakeholder", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "coalition",
            "coalition_brief",
            "stakeholder",
            "stakeholder_brief",
            "role",
            "joined_on",
            "left_on",
            *TIMESTAMPS,
        ]


class CommitmentSerializer(ValidatedModelSerializer):
    coalition_brief = CoalitionBriefSerializer(source="coalition", read_only=True, allow_null=True)
    owner_brief = StakeholderBriefSerializer(source="owner", read_only=True, allow_null=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "coalition",
            "coalition_brief",
            "owner",
            "owner_brief",
            "description",
            "due_on",
            "status",
            "evidence",
            "objective",
            *TIMESTAMPS,
        ]


class EngagementSerializer(ValidatedModelSerializer):
    coalition_brief = CoalitionBriefSerializer(source="coalition", read_only=True, allow_null=True)
    initiative_brief = InitiativeBriefSerializer(source="initiative", read_only=True, allow_null=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "occurred_on",
            "kind",
            "title",
            "summary",
            "agreements",
            "coalition",
            "coalition_brief",
            "initiative",
            "initiative_brief",
            "participants",
            "follow_up_on",
            "follow_up",
            *TIMESTAMPS,
        ]

    # Through the service the staff page uses too: one way to log an engagement and its participants.
    def create(self, validated_data: dict) -> Engagement:
        participants = validated_data.pop("participants", [])
        recorded_by = validated_data.pop("recorded_by", None)
        return engagement_log(fields=validated_data, participants=participants, recorded_by=recorded_by)

    def update(self, instance: Engagement, validated_data: dict) -> Engagement:
        participants = validated_data.pop("participants", None)
        return engagement_log(fields=validated_data, participants=participants, engagement=instance)


class OutcomeSerializer(ValidatedModelSerializer):
    coalition_brief = CoalitionBriefSerializer(source="coalition", read_only=True, allow_null=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "coalition",
            "coalition_brief",
            "description",
            "change_type",
            "observed_on",
            "actors",
            "significance",
            "contribution",
            "evidence_url",
            "objective",
            *TIMESTAMPS,
        ]


class LearningNoteSerializer(ValidatedModelSerializer):
    coalition_brief = CoalitionBriefSerializer(source="coalition", read_only=True, allow_null=True)
    initiative_brief = InitiativeBriefSerializer(source="initiative", read_only=True, allow_null=True)

    class Meta:
        model = LearningNote
        fields = [
            "id",
            "title",
            "body",
            "coalition",
            "coalition_brief",
            "initiative",
            "initiative_brief",
            "shared_with",
            *TIMESTAMPS,
        ]
