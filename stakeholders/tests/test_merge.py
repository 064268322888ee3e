"""Merging a duplicate stakeholder into the record kept (`stakeholders.services.stakeholder_merge`):
every row that points at it moves, clashes are resolved, the merge is recorded, and only staff who
may change both records, of one country, reach the page."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import invitation_create
from attachments.models import Attachment
from attachments.services import attachments_create
from coalitions.models import Assessment, Commitment, Initiative, Membership
from core.models import ActionRecord, ObjectChange
from explorers_network.models import ContactRequest
from planning.models import EntryPoint
from stakeholders.models import Contact, Relationship, Stakeholder
from stakeholders.services import stakeholder_generic_links, stakeholder_links, stakeholder_merge, stakeholder_tags_set

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 15)


def _user(world, keep, remove, django_user_model):
    return django_user_model.objects.create_user(username="partner-dup", role="partner", organisation=remove)


#: For every foreign key to Stakeholder in the project: a row pointing at the duplicate (`remove`).
BUILDERS = {
    "stakeholders.Stakeholder_regions.stakeholder": lambda w, keep, remove, u: remove.regions.add(w.guajira),
    "stakeholders.Stakeholder_tags.stakeholder": lambda w, keep, remove, u: stakeholder_tags_set(
        stakeholder=remove, names=["Minería"]
    ),
    "stakeholders.Stakeholder.organisation": lambda w, keep, remove, u: Stakeholder.objects.create(
        country=w.co, name="Rosa Epiayú", kind="person", sector="community", level="local", organisation=remove
    ),
    "stakeholders.Contact.stakeholder": lambda w, keep, remove, u: Contact.objects.create(
        stakeholder=remove, name="Pedro Uriana"
    ),
    "stakeholders.Relationship.source": lambda w, keep, remove, u: Relationship.objects.create(
        source=remove, target=w.co_org, kind="alliance"
    ),
    "stakeholders.Relationship.target": lambda w, keep, remove, u: Relationship.objects.create(
        source=w.co_org, target=remove, kind="funding"
    ),
    "accounts.User.organisation": _user,
    "accounts.Invitation.organisation": lambda w, keep, remove, u: invitation_create(
        by=w.admin, email="inv@example.org", role="partner", country=w.co, organisation=remove
    ),
    "planning.EntryPoint_stakeholders.stakeholder": lambda w, keep, remove, u: EntryPoint.objects.create(
        country=w.co, title="Solar schools", challenge="No power", feasibility=4, impact=4, added_value=4
    ).stakeholders.add(remove),
    "coalitions.Initiative.lead": lambda w, keep, remove, u: Initiative.objects.filter(pk=w.co_initiative.pk).update(
        lead=remove
    ),
    "coalitions.Assessment.stakeholder": lambda w, keep, remove, u: Assessment.objects.create(
        stakeholder=remove, initiative=w.co_initiative, assessed_on=DAY, power=1, capabilities=1, interest=1
    ),
    "coalitions.Membership.stakeholder": lambda w, keep, remove, u: Membership.objects.create(
        coalition=w.co_coalition, stakeholder=remove, joined_on=DAY - datetime.timedelta(days=30)
    ),
    "coalitions.Commitment.owner": lambda w, keep, remove, u: Commitment.objects.create(
        coalition=w.co_coalition, owner=remove, description="Install kits"
    ),
    "coalitions.Engagement_participants.stakeholder": lambda w, keep, remove, u: w.co_engagement.participants.add(
        remove
    ),
    "coalitions.Outcome_actors.stakeholder": lambda w, keep, remove, u: w.co_outcome.actors.add(remove),
    "explorers_network.ContactRequest.stakeholder": lambda w, keep, remove, u: ContactRequest.objects.create(
        name="Rita", email="rita@example.org", country="CO", message="Hola", ip_hash="x", stakeholder=remove
    ),
}


def link_name(field) -> str:
    return f"{field.model._meta.label}.{field.name}"


def test_every_relation_to_stakeholder_is_merged_and_tested():
    """A new foreign key to Stakeholder anywhere (a link table too) is merged, and needs a row here."""
    every = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Stakeholder
    }
    assert {link_name(field) for field in stakeholder_links()} == every
    assert set(BUILDERS) == every, "add a builder for the new relation"
    assert [field.related_model for field in stakeholder_generic_links()] == [Attachment]


@pytest.fixture
def pair(world, django_user_model):
    """The kept record (the Colombian mayor's office) and its duplicate, with a row of every relation."""
    keep = world.co_mayor
    remove = Stakeholder.objects.create(
        country=world.co, name="Alcaldia de Uribia", sector="subnational_government", level="local"
    )
    for build in BUILDERS.values():
        build(world, keep, remove, django_user_model)
    upload = SimpleUploadedFile("acta.txt", b"Acta\n")
    attachments_create(target=remove, uploads=[upload], kind="minutes", title="", user=None)
    return keep, remove


def pointing_at(stakeholder) -> dict[str, int]:
    counts = {
        link_name(field): field.model._base_manager.filter(**{field.attname: stakeholder.pk}).count()
        for field in stakeholder_links()
    }
    counts["attachments"] = stakeholder.attachments.count()
    return counts


def test_every_related_row_moves_and_clashes_are_resolved(world, pair):
    keep, remove = pair
    before_remove = pointing_at(remove)
    assert all(before_remove.values()), before_remove  # the fixture has a row of every relation
    # Clashes: the kept record is already an open member of the coalition (joined DAY, later than the
    # duplicate), assessed the same day in the same initiative, in La Guajira, at the engagement.
    world.co_mayor.regions.add(world.guajira)
    world.co_engagement.participants.add(keep)
    kept_assessment = Assessment.objects.get(stakeholder=keep, assessed_on=DAY)
    Relationship.objects.create(source=remove, target=keep, kind="alliance")  # dropped
    earlier = Membership.objects.get(stakeholder=remove)
    remove_pk = remove.pk

    stakeholder_merge(keep=keep, remove=remove, user=world.staff_co)

    assert not Stakeholder.objects.filter(pk=remove.pk).exists()
    assert list(keep.regions.all()) == [world.guajira]
    assert list(Membership.objects.filter(stakeholder=keep, coalition=world.co_coalition)) == [earlier]
    assert Membership.objects.get(pk=earlier.pk).joined_on == DAY - datetime.timedelta(days=30)
    assert list(Assessment.objects.filter(stakeholder=keep, assessed_on=DAY)) == [kept_assessment]
    assert not Relationship.objects.filter(source=keep, target=keep).exists()
    assert Relationship.objects.filter(source=keep, target=world.co_org, kind="alliance").exists()
    assert Relationship.objects.filter(source=world.co_org, target=keep, kind="funding").exists()
    assert list(world.co_engagement.participants.filter(pk=keep.pk)) == [keep]
    assert world.co_outcome.actors.filter(pk=keep.pk).exists()
    assert Contact.objects.filter(stakeholder=keep, name="Pedro Uriana").exists()
    assert Stakeholder.objects.get(name="Rosa Epiayú").organisation == keep
    assert Initiative.objects.get(pk=world.co_initiative.pk).lead == keep
    assert keep.attachments.count() == 1
    after = pointing_at(keep)
    assert all(after[name] >= 1 for name in after), after  # every relation now reaches the kept record
    assert not any(
        field.model._base_manager.filter(**{field.attname: remove_pk}).exists() for field in stakeholder_links()
    )
    assert Commitment.objects.filter(owner=keep, description="Install kits").exists()
    assert ContactRequest.objects.get(name="Rita").stakeholder == keep
    assert EntryPoint.objects.get(title="Solar schools").stakeholders.get() == keep


def test_the_merge_is_recorded(world, pair):
    keep, remove = pair
    removed_pk = remove.pk
    stakeholder_merge(keep=keep, remove=remove, user=world.staff_co)
    record = ActionRecord.objects.get(action="merge")
    assert (record.model, record.object_pk, record.actor) == (
        "stakeholders.Stakeholder",
        str(removed_pk),
        world.staff_co,
    )
    assert record.summary["into"] == keep.pk and record.summary["moved"] > 0
    moved = Contact.objects.get(name="Pedro Uriana")
    assert ObjectChange.objects.filter(object_id=moved.pk, content_type__model="contact", action=1).exists()
    assert ObjectChange.objects.filter(object_id=removed_pk, content_type__model="stakeholder", action=2).exists()


def merge_url(keep, remove) -> str:
    return reverse("stakeholders:stakeholder_merge", kwargs={"pk": keep.pk, "other": remove.pk})


def test_the_page_previews_what_moves_and_the_post_merges(staff_client, world, pair):
    keep, remove = pair
    removed_pk = remove.pk
    response = staff_client.get(merge_url(keep, remove))
    assert response.status_code == 200
    page = " ".join(str(line) for line in response.context["consequences"])
    assert "memberships" in page and "assessments" in page and "contacts" in page and "attachments" in page
    assert Stakeholder.objects.filter(pk=remove.pk).exists()
    response = staff_client.post(merge_url(keep, remove))
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=removed_pk).exists()


def test_out_of_scope_is_a_404_and_partners_are_refused(client, world, pair, other_staff_client, partner_client):
    keep, remove = pair
    assert other_staff_client.get(merge_url(keep, remove)).status_code == 404
    assert other_staff_client.post(merge_url(keep, remove)).status_code == 404
    assert partner_client.post(merge_url(keep, remove)).status_code == 403
    assert Stakeholder.objects.filter(pk=remove.pk).exists()


def test_two_countries_or_one_record_cannot_be_merged(staff_client, world, pair):
    keep, _remove = pair
    world.staff_co.country_teams.add(world.pe)
    assert staff_client.get(merge_url(keep, world.pe_org)).status_code == 404
    assert staff_client.get(merge_url(keep, keep)).status_code == 404


def test_the_record_page_offers_to_merge_its_look_alikes(staff_client, other_staff_client, world, pair):
    # In the page's possible-duplicates panel (loaded after its first paint), for those who may merge.
    keep, remove = pair
    url = merge_url(keep, remove)
    panel = reverse("stakeholders:stakeholder_duplicates", kwargs={"pk": keep.pk})
    assert f'hx-get="{panel}"' in staff_client.get(keep.get_absolute_url()).content.decode()
    assert f'href="{url}"' in staff_client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert panel not in other_staff_client.get(keep.get_absolute_url()).content.decode()
    assert f'href="{url}"' not in other_staff_client.get(panel, headers={"HX-Request": "true"}).content.decode()
