"""The one place that scopes rows: who sees and who may change what (ScopedQuerySet)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalitions.models import (
    Assessment,
    Coalition,
    Commitment,
    Engagement,
    Initiative,
    LearningNote,
    Membership,
    Outcome,
)
from countries.models import Country
from explorers_network.models import Explorer
from stakeholders.models import Contact, Relationship, Stakeholder

pytestmark = pytest.mark.django_db


def visible(model, user) -> set:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_staff_and_admin_see_every_row(world):
    for user in (world.admin, world.staff_co, world.staff_pe):
        assert visible(Stakeholder, user) == set(Stakeholder.objects.values_list("pk", flat=True))
        assert visible(Assessment, user) == {world.co_assessment.pk, world.pe_assessment.pk}
        assert visible(Contact, user) == {world.co_contact.pk, world.pe_contact.pk}


def test_anonymous_and_inactive_users_see_nothing(world):
    world.staff_co.is_active = False
    for user in (AnonymousUser(), world.staff_co):
        for model in (Country, Stakeholder, Coalition, Assessment, Contact):
            assert visible(model, user) == set()


def test_partner_sees_only_coalitions_with_an_open_membership_of_its_organisation(world):
    assert visible(Coalition, world.partner_co) == {world.co_coalition.pk}
    Membership.objects.filter(stakeholder=world.co_org).update(left_on="2026-02-01")
    assert visible(Coalition, world.partner_co) == set()


def test_partner_sees_the_parts_of_its_coalitions_only(world):
    assert visible(Commitment, world.partner_co) == {world.co_commitment.pk}
    assert visible(Engagement, world.partner_co) == {world.co_engagement.pk}
    assert visible(Outcome, world.partner_co) == {world.co_outcome.pk}
    assert visible(Membership, world.partner_co) == set(
        Membership.objects.filter(coalition=world.co_coalition).values_list("pk", flat=True)
    )


def test_partner_sees_fellow_members_but_not_other_stakeholders(world):
    assert visible(Stakeholder, world.partner_co) == {world.co_org.pk, world.co_mayor.pk}
    assert visible(Stakeholder, world.partner_pe) == {world.pe_org.pk, world.pe_company.pk}


def test_partner_never_sees_assessments_relationships_or_explorers(world):
    Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance")
    Explorer.objects.create(name="Ana", email="ana@example.org")
    for model in (Assessment, Relationship, Explorer):
        assert visible(model, world.partner_co) == set()


def test_partner_sees_contacts_of_its_own_organisation_only(world):
    own = Contact.objects.create(stakeholder=world.co_org, name="Own colleague")
    assert visible(Contact, world.partner_co) == {own.pk}  # not the mayor's contact, a fellow member
    assert visible(Contact, world.partner_pe) == {world.pe_contact.pk}


def test_partner_sees_public_initiatives_and_those_of_its_coalitions(world):
    public = Initiative.objects.create(
        country=world.pe, level="national", name="Public", shared_objective="x", is_public=True
    )
    assert visible(Initiative, world.partner_co) == {world.co_initiative.pk, public.pk}


def test_learning_notes_shared_with_a_coalition_reach_its_partners(world):
    note = LearningNote.objects.create(title="Peru learns", body="...", coalition=world.pe_coalition)
    assert note.pk not in visible(LearningNote, world.partner_co)
    note.shared_with.add(world.co_coalition)
    assert note.pk in visible(LearningNote, world.partner_co)


def test_staff_change_only_rows_of_their_country_teams(world):
    assert set(Coalition.objects.editable_by(world.staff_co).values_list("pk", flat=True)) == {world.co_coalition.pk}
    assert set(Commitment.objects.editable_by(world.staff_pe).values_list("pk", flat=True)) == {world.pe_commitment.pk}
    assert set(Stakeholder.objects.editable_by(world.staff_co).values_list("pk", flat=True)) == {
        world.co_org.pk,
        world.co_mayor.pk,
    }
    peru_initiative_note = LearningNote.objects.create(title="x", body="y", initiative=world.pe_initiative)
    assert peru_initiative_note.pk in set(LearningNote.objects.editable_by(world.staff_pe).values_list("pk", flat=True))


def test_partners_change_nothing_through_the_generic_rule(world):
    assert not Commitment.objects.editable_by(world.partner_co).exists()
    assert Commitment.objects.editable_by(world.admin).count() == 2
