from rest_framework import serializers

from core.api.serializers import FieldsBuiltOnce, ValidatedModelSerializer, bounded
from countries.api.serializers import CountryBriefSerializer
from stakeholders.api.serializers import StakeholderBriefSerializer

from ..models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome
from ..moves import dates_error
from ..rollup import period_error
from ..services import coalition_create, engagement_log

TIMESTAMPS = ["created_at", "updated_at"]
INITIATIVE_BRIEF = ("id", "name")
COALITION_BRIEF = ("id", "name", "status")


class InitiativeBriefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Initiative
        fields = list(INITIATIVE_BRIEF)


class CoalitionBriefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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


class MapQuerySerializer(serializers.Serializer):
    """The map's query: the date it shows and the date it compares with (both optional)."""

    as_of = serializers.DateField(
        required=False, help_text="Each stakeholder's latest assessment on or before this date (default: today)."
    )
    since = serializers.DateField(
        required=False, help_text="Compare with each stakeholder's position on this date; before `as_of`."
    )

    def validate(self, attrs):
        error = dates_error(as_of=attrs.get("as_of"), since=attrs.get("since"))
        if error:
            raise serializers.ValidationError({"since": [error]})
        return attrs


class PositionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The assessment that gave this position.")
    assessed_on = serializers.DateField()
    power = serializers.IntegerField()
    capabilities = serializers.IntegerField()
    interest = serializers.IntegerField()
    stance = serializers.IntegerField()


class ChangeSerializer(serializers.Serializer):
    power = serializers.IntegerField()
    capabilities = serializers.IntegerField()
    interest = serializers.IntegerField()
    stance = serializers.IntegerField()


class MovementSerializer(serializers.Serializer):
    since = serializers.DateField(help_text="The comparison date asked for.")
    previous = PositionSerializer(allow_null=True, help_text="The position at `since`; null if not assessed by then.")
    change = ChangeSerializer(allow_null=True, help_text="Each dimension's change since then (now minus before).")
    distance = serializers.FloatField(
        allow_null=True, help_text="How far it moved: Euclidean distance over the four dimensions."
    )


class MapEntrySerializer(AssessmentSerializer):
    """A stakeholder on the map: its assessment at `as_of` and, with `since`, its movement (documentation only)."""

    movement = MovementSerializer(read_only=True, allow_null=True, help_text="Null unless `since` is given.")

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "movement"]


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


class RollupQuerySerializer(serializers.Serializer):
    """The roll-up's period: both days included; the last 365 days by default."""

    start = serializers.DateField(required=False, help_text="First day of the period (default: 365 days before `end`).")
    end = serializers.DateField(required=False, help_text="Last day of the period (default: today).")

    def validate(self, attrs):
        error = period_error(start=attrs.get("start"), end=attrs.get("end"))
        if error:
            raise serializers.ValidationError({"end": [error]})
        return attrs


class FiguresSerializer(serializers.Serializer):
    members_active = serializers.IntegerField(help_text="Actors with a membership overlapping the period.")
    sectors = serializers.IntegerField(help_text="Distinct sectors of those actors.")
    engagements = serializers.IntegerField(help_text="Engagements that took place in the period.")
    participants = serializers.IntegerField(help_text="Distinct actors who took part in them.")
    commitments_made = serializers.IntegerField(help_text="Commitments recorded in the period.")
    commitments_due = serializers.IntegerField(help_text="Commitments due in the period, not dropped.")
    commitments_done = serializers.IntegerField(help_text="Of those due, the ones done.")
    commitments_overdue = serializers.IntegerField(help_text="Of those due, the ones unfinished past their date.")
    fulfilment_rate = serializers.FloatField(allow_null=True, help_text="Done ÷ due; null when nothing was due.")
    outcomes = serializers.IntegerField(help_text="Outcomes observed in the period.")
    notes_shared_up = serializers.IntegerField(
        help_text="Learning notes written in the period and shared with the coalition this one is linked to."
    )
    notes_shared_down = serializers.IntegerField(
        help_text="Learning notes written in the period by the linked coalition and shared with this one."
    )


class RollupColumnSerializer(serializers.Serializer):
    coalition = CoalitionBriefSerializer()
    figures = FiguresSerializer()


class RollupSerializer(serializers.Serializer):
    """Each coalition's figures in the period, side by side, and their total."""

    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    coalitions = RollupColumnSerializer(source="columns", many=True)
    total = FiguresSerializer(
        help_text="Actors counted once however many of the coalitions they are in; the rest summed."
    )
