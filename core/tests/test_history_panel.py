"""The History panel: on every record page for staff, never for partners, in a constant number of queries."""

from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import translation

from coalitions.models import Assessment, LearningNote, Membership
from core.history.display import history_url
from core.models import ObjectChange
from explorers_network.models import Campaign, ContactRequest, Explorer
from planning.models import DevelopmentPlan, EntryPoint, PlanObjective
from results.models import Indicator
from stakeholders.models import Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    plan = DevelopmentPlan.objects.create(
        country=world.pe, region=world.moquegua, name="Plan Moquegua", start_year=2023, end_year=2030
    )
    return SimpleNamespace(
        world=world,
        plan=plan,
        objective=PlanObjective.objects.create(plan=plan, code="OER1", title="Agua"),
        entry_point=EntryPoint.objects.create(
            country=world.co, title="Energía", challenge="c", feasibility=3, impact=3, added_value=3
        ),
        indicator=Indicator.objects.create(coalition=world.co_coalition, name="Techos", unit="u"),
        note=LearningNote.objects.create(coalition=world.co_coalition, title="Lección", body="b"),
        relationship=Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="alliance"),
        membership=Membership.objects.filter(coalition=world.co_coalition).first(),
        campaign=Campaign.objects.create(subject="Hola", body="x"),
        explorer=Explorer.objects.create(name="Eva", email="eva@example.org", country="PE"),
        contact_request=ContactRequest.objects.create(
            name="Rita", country="CO", email="rita@example.org", message="Hola", ip_hash="x"
        ),
    )


#: Every record page, and the record whose History panel it shows.
RECORD_PAGES = {
    "coalitions:country_detail": lambda r: ({"code": "co"}, r.world.co),
    "coalitions:region_detail": lambda r: ({"pk": r.world.guajira.pk}, r.world.guajira),
    "stakeholders:stakeholder_detail": lambda r: ({"pk": r.world.co_org.pk}, r.world.co_org),
    "stakeholders:stakeholder_edit": lambda r: ({"pk": r.world.co_org.pk}, r.world.co_org),
    "stakeholders:contact_edit": lambda r: ({"pk": r.world.co_contact.pk}, r.world.co_contact),
    "stakeholders:relationship_edit": lambda r: ({"pk": r.relationship.pk}, r.relationship),
    "coalitions:initiative_detail": lambda r: ({"pk": r.world.co_initiative.pk}, r.world.co_initiative),
    "coalitions:coalition_detail": lambda r: ({"pk": r.world.co_coalition.pk}, r.world.co_coalition),
    "coalitions:membership_update": lambda r: ({"pk": r.membership.pk}, r.membership),
    "coalitions:commitment_update": lambda r: ({"pk": r.world.co_commitment.pk}, r.world.co_commitment),
    "coalitions:outcome_update": lambda r: ({"pk": r.world.co_outcome.pk}, r.world.co_outcome),
    "coalitions:commitment_detail": lambda r: ({"pk": r.world.co_commitment.pk}, r.world.co_commitment),
    "coalitions:outcome_detail": lambda r: ({"pk": r.world.co_outcome.pk}, r.world.co_outcome),
    "coalitions:engagement_detail": lambda r: ({"pk": r.world.co_engagement.pk}, r.world.co_engagement),
    "coalitions:learningnote_detail": lambda r: ({"pk": r.note.pk}, r.note),
    "planning:entrypoint_detail": lambda r: ({"pk": r.entry_point.pk}, r.entry_point),
    "planning:plan_detail": lambda r: ({"pk": r.plan.pk}, r.plan),
    "planning:objective_detail": lambda r: ({"pk": r.objective.pk}, r.objective),
    "results:indicator_detail": lambda r: ({"pk": r.indicator.pk}, r.indicator),
    "explorers_network:campaign_detail": lambda r: ({"pk": r.campaign.pk}, r.campaign),
    "explorers_network:explorer_detail": lambda r: ({"pk": r.explorer.pk}, r.explorer),
    "explorers_network:contact_detail": lambda r: ({"pk": r.contact_request.pk}, r.contact_request),
}


#: Detail pages that show no History panel, and why.
WITHOUT_PANEL = {
    "portal:coalition_detail": "a partner's view of its coalition: history is staff-only (core:history); "
    "the staff record page, coalitions:coalition_detail, shows the panel",
}


def test_every_detail_page_of_the_site_is_in_the_table():
    """A new record page must show its History panel: add it here (and the panel to its template)."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in ("admin", "api"):
            continue
        names.update(f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str))
    assert {name for name in names if name.endswith("_detail")} <= set(RECORD_PAGES) | set(WITHOUT_PANEL)


@pytest.mark.parametrize("url_name", sorted(RECORD_PAGES))
def test_staff_of_any_country_see_the_history_panel_on_every_record_page(url_name, records, other_staff_client):
    kwargs, record = RECORD_PAGES[url_name](records)
    response = other_staff_client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code in (200, 403)  # an edit page of another country's record is read-only: 403
    if response.status_code == 200:
        assert f'data-history-url="{history_url(type(record), record.pk)}"' in response.content.decode()


@pytest.mark.parametrize("url_name", sorted(RECORD_PAGES))
def test_the_owners_see_the_history_panel_on_every_record_page(url_name, records, admin_client):
    kwargs, record = RECORD_PAGES[url_name](records)
    response = admin_client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    assert f'data-history-url="{history_url(type(record), record.pk)}"' in response.content.decode()


@pytest.mark.parametrize("url_name", sorted(RECORD_PAGES))
def test_partners_get_the_staff_gate_on_the_history_of_every_record(
    url_name, records, partner_client, other_partner_client
):
    _kwargs, record = RECORD_PAGES[url_name](records)
    for client in (partner_client, other_partner_client):
        assert client.get(history_url(type(record), record.pk)).status_code == 403
        assert client.get(history_url(type(record), record.pk), HTTP_HX_REQUEST="true").status_code == 403


def test_the_panel_shows_who_changed_what_through_which_path(staff_client, other_staff_client, world):
    membership = Membership.objects.get(coalition=world.co_coalition, stakeholder=world.co_mayor)
    staff_client.post(f"/memberships/{membership.pk}/edit/", {"role": "champion", "joined_on": "2026-01-15"})
    panel = other_staff_client.get(history_url(Membership, membership.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel  # the fragment the panel loads
    assert "staff-co" in panel and "Staff pages" in panel
    assert '<th scope="row">Role</th>' in panel
    assert '<td class="history-old">Member</td><td class="history-new">Champion</td>' in panel


def test_field_names_and_choice_labels_are_in_the_readers_language(staff_client, world):
    assessment = world.co_assessment
    assessment.stance = Assessment.Stance.OPPOSED
    assessment.save()
    url = history_url(Assessment, assessment.pk)
    label, stance = Assessment._meta.get_field("stance").verbose_name, Assessment.Stance.OPPOSED.label
    seen = set()
    for language in ("en", "es"):
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            words = (f'<th scope="row">{str(label).capitalize()}</th>', f'<td class="history-new">{stance}</td>')
        assert all(word in page for word in words), language
        seen.add(words)
    assert len(seen) == 2  # the two languages differ, so the check above could fail


def test_a_deleted_records_history_stays_readable_to_staff(staff_client, world):
    relationship = Relationship.objects.create(source=world.co_org, target=world.co_mayor, kind="conflict")
    pk = relationship.pk
    relationship.delete()
    page = staff_client.get(history_url(Relationship, pk)).content.decode()
    assert "Deleted" in page and "was deleted" in page


def test_history_of_unknown_or_unrecorded_models_and_missing_rows_is_404(staff_client, world):
    assert staff_client.get("/history/nothing.here/1/").status_code == 404
    assert staff_client.get("/history/outbox.delivery/1/").status_code == 404
    assert staff_client.get("/history/coalitions.coalition/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_history(client, world):
    assert client.get(history_url(type(world.co_org), world.co_org.pk)).status_code == 302


def test_the_panel_adds_no_query_to_the_record_page(world, admin_client, django_assert_num_queries):
    """The panel is a link and an htmx trigger: the page's queries are the same with any history."""
    url = world.co_coalition.get_absolute_url()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(25):
        world.co_coalition.shared_goal = f"Goal {number}"
        world.co_coalition.save()
    assert count() == before


def history_queries(client: Client, model, pk) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(history_url(model, pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(queries)


def test_the_panels_query_count_does_not_grow_with_the_history(staff_client, world):
    commitment = world.co_commitment
    owners = [world.co_org, world.co_mayor]

    def change(times: int) -> None:
        for number in range(times):
            commitment.description = f"Step {number}"
            commitment.owner = owners[number % 2]
            commitment.status = ("planned", "done")[number % 2]
            commitment.save()

    change(2)
    history_queries(staff_client, type(commitment), commitment.pk)  # warm the content-type cache
    few = history_queries(staff_client, type(commitment), commitment.pk)
    change(30)
    # One query per kind of linked record on the page (here fewer: the creation is on page 2).
    assert history_queries(staff_client, type(commitment), commitment.pk) <= few
    second_page = staff_client.get(history_url(type(commitment), commitment.pk) + "?page=2", HTTP_HX_REQUEST="true")
    assert (
        "Older changes"
        in staff_client.get(history_url(type(commitment), commitment.pk), HTTP_HX_REQUEST="true").content.decode()
    )
    assert second_page.status_code == 200


def test_the_history_shows_linked_records_by_name_and_deleted_ones_as_such(staff_client, world):
    commitment = world.co_commitment
    commitment.owner = world.co_mayor
    commitment.save()
    page = staff_client.get(history_url(type(commitment), commitment.pk)).content.decode()
    assert 'Fundación Energía Wayuu</td><td class="history-new">Alcaldía de Uribia' in page
    ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(commitment)), object_id=commitment.pk
    ).update(changes={"owner": [999999, world.co_mayor.pk]})
    assert "#999999 (deleted)" in staff_client.get(history_url(type(commitment), commitment.pk)).content.decode()
