"""Every write is recorded, whatever the path: who, when, through what, each field's old and new value."""

import io

import pytest
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands, load_command_class
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_create
from coalitions.models import Coalition, Commitment, Engagement, Membership
from coalitions.services import coalition_create
from core.history.context import history_context
from core.history.recording import (
    created_changes,
    is_recorded,
    not_recorded,
    record_copied,
    record_created,
    recorded_models,
)
from core.management.base import RecordedCommand
from core.models import ObjectChange, RecordedQuerySet
from core.testing import require_service
from countries.models import Country, Municipality, Region
from explorers_network.models import Campaign, Explorer, Topic
from planning.importers import resources_import
from planning.models import ResourceFlow
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

CREATE, UPDATE, DELETE = 0, 1, 2


def changes_of(obj) -> list[ObjectChange]:
    """The row's history, oldest first."""
    content_type = ContentType.objects.get_for_model(obj)
    return list(ObjectChange.objects.filter(content_type=content_type, object_id=obj.pk).order_by("timestamp", "pk"))


def last_change(obj) -> ObjectChange:
    return changes_of(obj)[-1]


# -- every model, every command ---------------------------------------------------------------


def test_every_model_of_the_project_apps_is_recorded_but_the_logs_and_queues():
    project_models = [model for label in settings.PROJECT_APPS for model in apps.get_app_config(label).get_models()]
    assert {model._meta.label for model in project_models if not is_recorded(model)} == set(not_recorded())
    assert set(not_recorded()) == {
        "core.ObjectChange",
        "core.ActionRecord",
        "outbox.Delivery",
        "notifications.Notification",
        "explorers_network.ConsentEvent",
        "accounts.SignInFailure",
        # A file waiting between the steps of an import, deleted once imported.
        "imports.ImportUpload",
        # Figures computed from recorded rows; a re-run of the month replaces them.
        "trends.NetworkSnapshot",
        "trends.CoalitionHealthSnapshot",
        # A workbook built in the background and deleted after a while; its progress is rewritten.
        "trends.ReportRun",
    }
    assert len(recorded_models()) == len(project_models) - len(not_recorded())


@pytest.mark.parametrize("model", recorded_models(), ids=lambda model: model._meta.label)
def test_bulk_writes_of_every_recorded_model_go_through_the_recorded_queryset(model):
    """`update()`, `bulk_update()` and `bulk_create()` are recorded only through RecordedQuerySet."""
    assert isinstance(model._default_manager.all(), RecordedQuerySet)


PROJECT_COMMANDS = sorted(name for name, app in get_commands().items() if app in settings.PROJECT_APPS)


@pytest.mark.parametrize("name", PROJECT_COMMANDS)
def test_every_project_command_records_its_writes_as_its_own(name):
    assert isinstance(load_command_class(get_commands()[name], name), RecordedCommand)


def test_a_new_rows_changes_are_what_auditlogs_diff_gives(world):
    """The bulk path's fast `created_changes` equals the library's diff (for every world row)."""
    rows = [world.co_org, world.co_contact, world.co_coalition, world.co_assessment, world.co_engagement, world.admin]
    for row in rows:
        expected = model_instance_diff(None, row, use_json_for_changes=True)
        assert created_changes(type(row), row) == {name: list(values) for name, values in expected.items()}


# -- each path ----------------------------------------------------------------------------------


def test_a_page_write_records_the_user_the_channel_and_old_and_new_values(staff_client, world):
    membership = Membership.objects.get(coalition=world.co_coalition, stakeholder=world.co_mayor)
    staff_client.post(f"/memberships/{membership.pk}/edit/", {"role": "champion", "joined_on": "2026-01-15"})
    change = last_change(membership)
    assert (change.action, change.actor, change.channel) == (UPDATE, world.staff_co, "page")
    assert change.source == f"/memberships/{membership.pk}/edit/"
    assert change.changes == {"role": ["member", "champion"]}
    assert change.country_pk == world.co.pk
    assert change.cid  # the request's id groups the rows one request wrote


def test_an_api_write_with_a_token_records_the_token_prefix(world):
    token_row, token = api_token_create(user=world.partner_co)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 200
    change = last_change(world.co_commitment)
    assert (change.actor, change.channel, change.source) == (world.partner_co, "api", f"token {token_row.token_key}")
    assert change.changes == {"status": ["planned", "done"]}
    assert change.remote_addr == "127.0.0.1"


def test_api_create_and_delete_are_recorded_with_every_value(staff_api, world):
    response = staff_api.post(
        "/api/v1/engagements/",
        {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-03", "kind": "call", "title": "Llamada"},
        format="json",
    )
    engagement = Engagement.objects.get(pk=response.json()["id"])
    staff_api.delete(f"/api/v1/engagements/{engagement.pk}/")
    created, deleted = changes_of(engagement)
    assert (created.action, created.channel, created.source, created.actor) == (
        CREATE,
        "api",
        "session",
        world.staff_co,
    )
    assert created.changes["title"] == [None, "Llamada"]
    assert created.changes["coalition"] == [None, world.co_coalition.pk]
    assert (deleted.action, deleted.object_repr) == (DELETE, "Llamada (2026-02-03)")
    assert deleted.changes["title"] == ["Llamada", None]


def test_refused_api_writes_and_reads_record_nothing(partner_api, other_partner_api, world):
    before = ObjectChange.objects.count()
    other_partner_api.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "done"}, format="json")
    partner_api.patch(f"/api/v1/commitments/{world.co_commitment.pk}/", {"status": "finished"}, format="json")
    partner_api.get("/api/v1/coalitions/")
    assert ObjectChange.objects.count() == before


def test_an_admin_write_is_recorded_as_the_admin(admin_client, world):
    url = reverse("admin:countries_country_change", args=[world.co.pk])
    response = admin_client.post(url, {"code": "CO", "name": "Colombia", "status": "paused", "summary": "Pausa"})
    assert response.status_code == 302
    change = last_change(world.co)
    assert (change.actor, change.channel, change.source) == (world.admin, "admin", url)
    assert change.changes == {"status": ["exploring", "paused"], "summary": ["", "Pausa"]}


def test_the_admin_import_records_each_stakeholder_with_its_regions(admin_client, world):
    csv = "name,sector,level,country,regions\nRed Andina,civil_society,local,CO,CO-LAG\n"
    file = SimpleUploadedFile("actors.csv", csv.encode(), content_type="text/csv")
    admin_client.post(reverse("admin:stakeholders_stakeholder_import"), {"file": file})
    stakeholder = Stakeholder.objects.get(name="Red Andina")
    (change,) = changes_of(stakeholder)
    url = reverse("admin:stakeholders_stakeholder_import")
    assert (change.action, change.actor, change.channel, change.source) == (CREATE, world.admin, "admin", url)
    assert change.changes["name"] == [None, "Red Andina"]
    assert change.changes["regions"] == {
        "type": "m2m",
        "operation": "add",
        "objects": ["La Guajira"],
        "pks": [world.guajira.pk],
    }
    assert change.country_pk == world.co.pk


def test_a_command_is_recorded_by_its_name(tmp_path, world):
    path = tmp_path / "actors.csv"
    path.write_text("name,sector,level,country\nRed Andina,civil_society,local,CO\nOtra Red,academia,local,CO\n")
    call_command("import_data", "stakeholders", str(path), stdout=io.StringIO())
    changes = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Stakeholder), action=CREATE)
    recorded = changes.filter(object_repr__in=["Red Andina", "Otra Red"])
    assert {(c.channel, c.source, c.actor) for c in recorded} == {("command", "import_data", None)}
    assert recorded.count() == 2


def test_the_demo_loader_is_recorded_as_a_command(db, settings):
    settings.DEBUG = True  # seed_demo is for development; pytest runs with DEBUG off
    call_command("seed_demo", stdout=io.StringIO())
    assert ObjectChange.objects.exists()
    assert set(ObjectChange.objects.values_list("channel", "source").distinct()) == {("command", "seed_demo")}


def test_the_shell_and_other_scripts_say_what_they_are(world):
    with history_context(channel="shell", source="shell"):
        world.co_org.description = "Desde la consola"
        world.co_org.save()
    world.co_org.description = "Sin contexto"
    world.co_org.save()
    shell, script = changes_of(world.co_org)[-2:]
    assert (shell.channel, shell.source, shell.changes) == ("shell", "shell", {"description": ["", "Desde la consola"]})
    assert (script.channel, script.source) == ("system", "")


def test_a_context_inside_another_keeps_what_it_does_not_name(world):
    with history_context(channel="command", source="outer", actor=world.admin):
        with history_context(source="inner"):
            world.co_org.description = "x"
            world.co_org.save()
        world.co_org.description = "y"
        world.co_org.save()
    inner, outer = changes_of(world.co_org)[-2:]
    assert (inner.channel, inner.source, inner.actor) == ("command", "inner", world.admin)
    assert (outer.channel, outer.source) == ("command", "outer")


def test_a_task_in_a_worker_writes_as_the_task():
    from core.history.context import current, task_finished, task_started

    class FakeTask:
        name = "outbox.tasks.send_batch"

    task_started(task_id="abc", task=FakeTask())
    assert (current().channel, current().source) == ("task", "outbox.tasks.send_batch")
    task_finished(task_id="abc")
    assert current().channel == ""


def test_saving_without_a_change_records_nothing(world):
    before = ObjectChange.objects.count()
    world.co_coalition.save()
    assert ObjectChange.objects.count() == before


def test_a_password_change_is_recorded_without_the_hash(world):
    world.staff_co.set_password("another-long-password")
    world.staff_co.save()
    change = last_change(world.staff_co)
    assert change.changes == {"password": ["••••••", "••••••"]}


# -- many-to-many, from both sides ----------------------------------------------------------------


def test_many_to_many_changes_are_recorded_on_the_row_that_declares_them(world):
    coalition = world.co_coalition
    cesar = world.guajira.country.regions.get(code="CO-CES")
    coalition.regions.add(cesar)
    assert last_change(coalition).changes == {
        "regions": {"type": "m2m", "operation": "add", "objects": ["Cesar"], "pks": [cesar.pk]}
    }
    coalition.regions.clear()
    cleared = last_change(coalition).changes["regions"]
    assert (cleared["operation"], sorted(cleared["objects"])) == ("delete", ["Cesar", "La Guajira"])


def test_a_many_to_many_change_from_the_other_side_is_recorded_on_each_row(world):
    coalition = world.pe_coalition
    world.guajira.coalitions.add(coalition)
    assert last_change(coalition).changes == {
        "regions": {"type": "m2m", "operation": "add", "objects": ["La Guajira"], "pks": [world.guajira.pk]}
    }
    assert last_change(coalition).country_pk == world.pe.pk


def test_a_form_that_sets_participants_records_who_was_added(staff_client, world):
    engagement = world.co_engagement
    staff_client.post(
        f"/engagements/{engagement.pk}/edit/",
        {
            "coalition": world.co_coalition.pk,
            "occurred_on": "2026-01-15",
            "kind": "workshop",
            "title": "Taller Uribia",
            "participants": [world.co_org.pk],
        },
    )
    change = last_change(engagement)
    assert change.changes["participants"]["objects"] == ["Fundación Energía Wayuu"]
    assert (change.channel, change.actor) == ("page", world.staff_co)


# -- bulk paths -------------------------------------------------------------------------------------


def test_queryset_update_records_old_and_new_values_in_a_few_queries(world):
    Stakeholder.objects.bulk_create(
        Stakeholder(country=world.co, name=f"Actor {n}", sector="academia", level="local") for n in range(20)
    )
    actors = Stakeholder.objects.filter(name__startswith="Actor ")
    with CaptureQueriesContext(connection) as queries:
        assert actors.update(level="national") == 20
    assert len(queries) <= 8  # rows before, the update, rows after, their countries, the history insert
    for actor in actors:
        assert last_change(actor).changes == {"level": ["local", "national"]}


def test_queryset_update_of_an_unchanged_value_records_nothing(world):
    before = ObjectChange.objects.count()
    Stakeholder.objects.filter(pk=world.co_org.pk).update(level="subnational")
    assert ObjectChange.objects.count() == before


def test_bulk_update_records_each_changed_row_once(world):
    commitments = [world.co_commitment, world.pe_commitment]
    for commitment in commitments:
        commitment.status = "done"
    Commitment.objects.bulk_update(commitments, ["status"])
    for commitment in commitments:
        changes = [c for c in changes_of(commitment) if c.action == UPDATE]
        assert [c.changes for c in changes] == [{"status": ["planned", "done"]}]
    assert last_change(world.pe_commitment).country_pk == world.pe.pk


def test_bulk_create_records_each_new_row(world):
    coalition = coalition_create(
        fields={"initiative": world.co_initiative, "name": "Nueva", "level": "local", "shared_goal": "x"},
        members=[world.co_org, world.co_mayor],
        joined_on="2026-03-01",
    )
    memberships = Membership.objects.filter(coalition=coalition)
    assert memberships.count() == 2
    for membership in memberships:
        (change,) = changes_of(membership)
        assert change.action == CREATE and change.country_pk == world.co.pk
        assert change.object_repr == str(membership)


def test_the_resources_import_records_created_and_updated_rows(world):
    header = "region_code,fiscal_year,month,source,amount,currency,is_sample,note\n"
    resources_import(kind="flows", file=header + "PE-MOQ,2024,,mining_canon,100,PEN,,\n", dry_run=False)
    resources_import(kind="flows", file=header + "PE-MOQ,2024,,mining_canon,150,PEN,,\n", dry_run=False)
    created, updated = changes_of(ResourceFlow.objects.get())
    assert (created.action, created.changes["amount"]) == (CREATE, [None, "100.00"])
    assert (updated.action, updated.changes) == (UPDATE, {"amount": ["100.00", "150.00"]})
    assert updated.country_pk == world.pe.pk


def test_rows_written_with_bulk_insert_are_recorded_with_their_links(world):
    from core.bulk import bulk_insert

    topic = Topic.objects.create(name="Agua", slug="agua")
    (explorer,) = bulk_insert(Explorer, [Explorer(name="Eva", email="eva@example.org", country="PE")])
    bulk_insert(Explorer.interests.through, [Explorer.interests.through(explorer_id=explorer.pk, topic_id=topic.pk)])
    created, linked = changes_of(explorer)
    assert (created.action, created.changes["name"], created.country_pk) == (CREATE, [None, "Eva"], world.pe.pk)
    assert linked.changes == {"interests": {"type": "m2m", "operation": "add", "objects": ["Agua"], "pks": [topic.pk]}}


def test_campaigns_marked_sent_in_bulk_are_recorded(world):
    from explorers_network.services import campaigns_start_due

    campaign = Campaign.objects.create(subject="Hola", body="x", state=Campaign.State.SENDING)
    campaigns_start_due()
    assert last_change(campaign).changes == {"state": ["sending", "sent"]}


def test_countries_and_coalitions_are_attributed_to_their_country(world):
    world.pe.summary = "Canon minero"
    world.pe.save()
    assert last_change(world.pe).country_pk == world.pe.pk
    assert last_change(Coalition.objects.get(pk=world.pe_coalition.pk)).country_pk == world.pe.pk
    assert last_change(world.admin).country_pk is None
    assert Country.objects.count() >= 2


def test_the_history_of_copied_rows_made_from_their_values_equals_the_history_made_from_instances(world):
    """`record_copied` (the import's COPY path) writes the entries `record_created` writes."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    regions = list(Region.objects.filter(country=world.co, parent__isnull=True).order_by("-name")[:3])
    municipality = Municipality.objects.filter(region=regions[0]).first()
    with disable_auditlog():
        rows = Stakeholder.objects.bulk_create(
            [
                Stakeholder(name="Ñandú «Zeta»", kind="organisation", sector="media", level="local", country=world.co),
                Stakeholder(
                    name='Ábaco "A"',
                    acronym="AB",
                    kind="person",
                    sector="academia",
                    level="national",
                    country=world.co,
                    organisation=world.co_org,
                    municipality=municipality,
                    description="Line one\nline two, with a comma",
                ),
            ]
        )
    links = {rows[0].pk: [region.pk for region in regions], rows[1].pk: []}
    Stakeholder.regions.through.objects.bulk_create(
        Stakeholder.regions.through(stakeholder_id=pk, region_id=region) for pk, pks in links.items() for region in pks
    )
    fields = ("action", "object_pk", "object_id", "object_repr", "changes", "country_pk", "actor", "actor_email")
    fields += ("channel", "source", "cid", "remote_addr", "changes_text")

    def entries():
        found = ObjectChange.objects.filter(object_id__in=[row.pk for row in rows], content_type__model="stakeholder")
        return sorted(tuple(getattr(entry, name) for name in fields) for entry in found)

    with history_context(channel="command", source="import_data", actor=world.admin):
        columns = [field.attname for field in Stakeholder._meta.concrete_fields]
        copied = [
            (row.pk, str(row), tuple(getattr(row, column) for column in columns), {"regions": links[row.pk]})
            for row in rows
        ]
        assert record_copied(Stakeholder, columns, copied, m2m=("regions",)) == 2
        from_values = entries()
        ObjectChange.objects.filter(object_id__in=[row.pk for row in rows]).delete()
        record_created(Stakeholder, rows, m2m={"regions": links})
        from_instances = entries()
    assert from_values == from_instances
    assert from_values[0][4]["regions"]["objects"] == sorted(str(region) for region in regions)
