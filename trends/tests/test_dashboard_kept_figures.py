"""The country dashboard's kept figures: the same as counting afresh, whatever was written since and by
whichever path (page, API, admin, import, the bulk writes of seed_scale), and never a partner's kept."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from coalitions.importers import table_import
from coalitions.models import Assessment, Commitment, Engagement, Outcome
from core.bulk import bulk_insert
from stakeholders.models import Stakeholder
from trends import dashboard

pytestmark = pytest.mark.django_db

#: A day after the world's records (2026-01-15), so they are in every panel's period.
TODAY = datetime.date(2026, 3, 20)
COUNTED = ["activity", "fulfilment", "outcomes", "stances"]


def panel(name: str, world, user=None) -> dict:
    return dashboard.PANELS[name](country=world.co, user=user or world.staff_co, today=TODAY)


def afresh(name: str, world, user=None) -> dict:
    """The figures counted from the database, past the cache (the plain path)."""
    cache.clear()
    return panel(name, world, user)


def activity_rows(world) -> list:
    return panel("activity", world)["activity_rows"]


@pytest.mark.parametrize("name", COUNTED)
def test_kept_figures_are_those_counted_afresh_and_cost_no_query(world, name, django_assert_num_queries):
    Engagement.objects.get(pk=world.co_engagement.pk).participants.set([world.co_org, world.co_mayor])
    first = panel(name, world)
    with django_assert_num_queries(0):
        assert panel(name, world) == first
    assert afresh(name, world) == first


def test_the_kept_activity_is_the_countrys_engagements_and_participations(world):
    world.co_engagement.participants.set([world.co_org, world.co_mayor])
    assert activity_rows(world)[-3] == (datetime.date(2026, 1, 1), 1, 2)
    assert sum(engagements for _month, engagements, _participants in activity_rows(world)) == 1  # not Peru's


# Every way an engagement, its participants or the country it counts in changes.


def log_on_the_page(world, client, api, admin):
    data = {"title": "Asamblea", "kind": "meeting", "occurred_on": "2026-03-10", "coalition": world.co_coalition.pk}
    assert client.post(reverse("coalitions:engagement_create"), {**data, "all_members": "on"}).status_code == 302


def log_through_the_api(world, client, api, admin):
    body = {
        "coalition": world.co_coalition.pk,
        "occurred_on": "2026-03-10",
        "kind": "workshop",
        "title": "Taller Manaure",
        "participants": [world.co_org.pk],
    }
    assert api.post("/api/v1/engagements/", body, format="json").status_code == 201


def log_in_the_admin(world, client, api, admin):
    data = {
        "title": "Desde el admin",
        "kind": "call",
        "occurred_on": "2026-03-10",
        "coalition": world.co_coalition.pk,
        "participants": [world.co_mayor.pk],
        **inline_management_forms(admin),
    }
    response = admin.post(reverse("admin:coalitions_engagement_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response


def inline_management_forms(admin) -> dict:
    """The empty management forms of the admin page's inlines (the attachments), as the page posts them."""
    form = admin.get(reverse("admin:coalitions_engagement_add")).context["inline_admin_formsets"]
    return {
        f"{inline.formset.prefix}-{field}": value
        for inline in form
        for field, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MIN_NUM_FORMS", 0), ("MAX_NUM_FORMS", 1000))
    }


def import_a_file(world, client, api, admin):
    content = f"title,kind,occurred_on,coalition\nImportada,meeting,2026-03-10,{world.co_coalition.name}\n"
    report = table_import(kind="engagements", file=content, user=world.staff_co)
    assert report.ok and report.created == 1, [str(error) for error in report.errors]


def insert_in_bulk(world, client, api, admin):
    """As seed_scale writes them: the engagements, then their participants' link rows, by COPY."""
    (engagement,) = bulk_insert(
        Engagement, [Engagement(coalition=world.co_coalition, occurred_on=TODAY, kind="email", title="Sembrada")]
    )
    through = Engagement.participants.through
    bulk_insert(through, [through(engagement_id=engagement.pk, stakeholder_id=world.co_org.pk)])


def guest(world) -> Stakeholder:
    """A new stakeholder to add as a participant, with the figures kept again after its creation."""
    created = Stakeholder.objects.create(country=world.co, name="Invitada", sector="media", level="local")
    activity_rows(world)
    return created


def add_participants_in_bulk(world, client, api, admin):
    through = Engagement.participants.through
    bulk_insert(through, [through(engagement_id=world.co_engagement.pk, stakeholder_id=guest(world).pk)])


def add_a_participant(world, client, api, admin):
    world.co_engagement.participants.add(guest(world))


def delete_a_participant(world, client, api, admin):
    Stakeholder.objects.get(pk=world.co_mayor.pk).delete()  # its participations go with it


def move_it_out_of_the_period(world, client, api, admin):
    Engagement.objects.filter(pk=world.co_engagement.pk).update(occurred_on=datetime.date(2024, 1, 1))


def delete_it(world, client, api, admin):
    Engagement.objects.get(pk=world.co_engagement.pk).delete()


def move_its_coalition_to_another_country(world, client, api, admin):
    world.co_coalition.initiative = world.pe_initiative
    world.co_coalition.save()


def move_its_initiative_to_another_country(world, client, api, admin):
    Engagement.objects.filter(pk=world.co_engagement.pk).update(initiative=world.co_initiative)
    activity_rows(world)
    Engagement.objects.filter(pk=world.co_engagement.pk).update(coalition=None)
    activity_rows(world)
    world.co_initiative.country = world.pe
    world.co_initiative.save()


@pytest.mark.parametrize(
    "write",
    [
        log_on_the_page,
        log_through_the_api,
        log_in_the_admin,
        import_a_file,
        insert_in_bulk,
        add_participants_in_bulk,
        add_a_participant,
        delete_a_participant,
        move_it_out_of_the_period,
        delete_it,
        move_its_coalition_to_another_country,
        move_its_initiative_to_another_country,
    ],
)
def test_every_write_to_what_the_activity_counts_drops_its_kept_figures(
    world, staff_client, staff_api, admin_client, write
):
    world.co_engagement.participants.set([world.co_org, world.co_mayor])
    before = activity_rows(world)
    write(world, staff_client, staff_api, admin_client)
    after = activity_rows(world)
    assert after == afresh("activity", world)["activity_rows"]
    assert after != before


def finish_a_commitment(world):
    Commitment.objects.filter(pk=world.co_commitment.pk).update(status=Commitment.Status.DONE)


def harvest_an_outcome(world):
    Outcome.objects.create(coalition=world.co_coalition, description="Otro cambio", observed_on=TODAY)


def assess_again(world):
    Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=TODAY,
        power=4,
        capabilities=3,
        interest=5,
    )


def move_the_coalition(world):
    world.co_coalition.initiative = world.pe_initiative
    world.co_coalition.save()


def move_the_initiative(world):
    world.co_initiative.country = world.pe
    world.co_initiative.save()


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("fulfilment", finish_a_commitment),
        ("fulfilment", move_the_coalition),
        ("outcomes", harvest_an_outcome),
        ("outcomes", move_the_coalition),
        ("stances", assess_again),
        ("stances", move_the_initiative),
    ],
)
def test_every_write_to_what_a_panel_counts_drops_its_kept_figures(world, name, write):
    before = panel(name, world)
    write(world)
    after = panel(name, world)
    assert after == afresh(name, world)
    assert after != before


def test_a_partners_scope_is_counted_each_time_never_kept(world, django_assert_num_queries):
    """The dashboard is a staff page, but its figures keep to the reader's scope all the same: a partner's
    would be its coalitions' only, and read from the memberships, which the kept figures do not follow."""
    other = world.co_coalition.__class__.objects.create(
        initiative=world.co_initiative, name="Otra", level="local", shared_goal="x"
    )
    Engagement.objects.create(coalition=other, occurred_on=TODAY, kind="call", title="Ajena")
    partners = panel("activity", world, world.partner_co)["activity_rows"]
    assert sum(row[1] for row in partners) == 1  # its own coalition's, not the other's
    assert sum(row[1] for row in activity_rows(world)) == 2
    with django_assert_num_queries(1):
        panel("activity", world, world.partner_co)
