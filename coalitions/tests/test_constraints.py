"""Rules the database itself refuses to break, whatever code path writes the row."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from coalitions.models import Assessment, Coalition, Membership
from stakeholders.models import Relationship

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("field", ["power", "capabilities", "interest"])
@pytest.mark.parametrize("score", [0, 6])
def test_assessment_scores_out_of_range_are_refused(world, field, score):
    scores = {"power": 3, "capabilities": 3, "interest": 3, field: score}
    assert refused(
        lambda: Assessment.objects.create(
            stakeholder=world.co_org, initiative=world.co_initiative, assessed_on=DAY, **scores
        )
    )


@pytest.mark.parametrize("stance", [-3, 3])
def test_assessment_stance_out_of_range_is_refused(world, stance):
    assert refused(
        lambda: Assessment.objects.create(
            stakeholder=world.co_org,
            initiative=world.co_initiative,
            assessed_on=DAY,
            power=3,
            capabilities=3,
            interest=3,
            stance=stance,
        )
    )


def test_assessment_in_range_is_stored(world):
    Assessment.objects.create(
        stakeholder=world.co_org, initiative=world.co_initiative, assessed_on=DAY, power=1, capabilities=5, interest=5
    )
    assert Assessment.objects.filter(stakeholder=world.co_org).count() == 1


def test_second_open_membership_in_same_coalition_is_refused(world):
    assert refused(
        lambda: Membership.objects.create(coalition=world.co_coalition, stakeholder=world.co_org, joined_on=DAY)
    )


def test_rejoining_after_leaving_keeps_history(world):
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_org).update(left_on=DAY)
    Membership.objects.create(coalition=world.co_coalition, stakeholder=world.co_org, joined_on=DAY)
    assert Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_org).count() == 2


def test_leaving_before_joining_is_refused(world):
    assert refused(
        lambda: Membership.objects.create(
            coalition=world.co_coalition,
            stakeholder=world.pe_org,
            joined_on=DAY,
            left_on=DAY - datetime.timedelta(days=1),
        )
    )


def test_relationship_to_self_is_refused(world):
    assert refused(lambda: Relationship.objects.create(source=world.co_org, target=world.co_org, kind="alliance"))


def test_duplicate_relationship_is_refused_but_another_kind_is_fine(world):
    Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance")
    Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="funding")
    assert refused(lambda: Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance"))


def test_relationship_strength_out_of_range_is_refused(world):
    assert refused(
        lambda: Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance", strength=4)
    )


def test_coalition_cannot_be_its_own_parent(world):
    coalition = world.co_coalition
    assert refused(lambda: Coalition.objects.filter(pk=coalition.pk).update(parent=coalition))
