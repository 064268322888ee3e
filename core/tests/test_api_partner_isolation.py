"""Cross-partner requests: 0 succeed, 0 foreign ids in any list, 0 foreign rows changed."""

import django_filters
import pytest
from django.apps import apps
from rest_framework import serializers
from rest_framework.test import APIClient

from coalitions.models import Engagement, Initiative
from core.api.permissions import STAFF_ONLY
from core.api.serializers import ScopedPrimaryKeyRelatedField

from .api_resources import make_rows, new_stakeholder, routes

LISTS = [(prefix, basename) for prefix, basename, action in routes() if action == "list"]
VIEWSETS = {
    basename: viewset
    for router in __import__("core.tests.api_resources", fromlist=["ROUTERS"]).ROUTERS
    for _, viewset, basename in router.registry
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def related_fields(basename: str) -> dict[str, type]:
    """Response fields holding ids of other rows, and the model of those rows."""
    found = {}
    for name, field in VIEWSETS[basename].serializer_class().fields.items():
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, ScopedPrimaryKeyRelatedField) and field.queryset is not None:
            found[name] = field.queryset.model
        elif isinstance(field, serializers.ModelSerializer):
            found[name] = field.Meta.model
    return found


def ids_in(value) -> list[int]:
    if value is None:
        return []
    if isinstance(value, list):
        return [i for item in value for i in ids_in(item)]
    if isinstance(value, dict):
        return [value["id"]]
    return [value]


def snapshot() -> dict:
    """Every row of every project model, as stored, to prove nothing changed."""
    rows = {}
    for app in ("countries", "stakeholders", "coalitions", "explorers_network"):
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


@pytest.mark.parametrize(("prefix", "basename"), LISTS)
def test_partner_lists_hold_no_foreign_id(world, prefix, basename):
    for partner in (world.partner_co, world.partner_pe):
        make_rows(world, basename, 1)
        response = api(partner).get(f"/api/v1/{prefix}/?page_size=200")
        if basename in STAFF_ONLY:
            assert response.status_code == 403
            continue
        assert response.status_code == 200
        model = VIEWSETS[basename].queryset.model
        visible = set(model.objects.visible_to(partner).values_list("pk", flat=True))
        body = response.json()
        rows = body["results"]
        # Reference lists (municipalities) are longer than a page: the count says the rest.
        assert {row["id"] for row in rows} <= visible and body["count"] == len(visible)
        assert len(rows) == min(len(visible), 200)
        for name, related_model in related_fields(basename).items():
            allowed = set(related_model.objects.visible_to(partner).values_list("pk", flat=True))
            shown = {i for row in rows for i in ids_in(row[name])}
            assert shown <= allowed, f"{basename}.{name} shows ids {shown - allowed} of rows {partner} cannot see"


def test_partner_pe_sees_nothing_colombian(world):
    client = api(world.partner_pe)
    coalitions = client.get("/api/v1/coalitions/").json()["results"]
    assert [row["id"] for row in coalitions] == [world.pe_coalition.pk]
    for prefix in ("memberships", "commitments", "engagements", "outcomes", "learning-notes", "stakeholders"):
        text = client.get(f"/api/v1/{prefix}/").content.decode()
        assert "Guajira" not in text and "Uribia" not in text and "Wayuu" not in text
    assert client.get(f"/api/v1/coalitions/{world.co_coalition.pk}/health/").status_code == 404
    assert client.get(f"/api/v1/stakeholders/{world.co_mayor.pk}/").status_code == 404


def test_partner_sees_its_own_contacts_only(world):
    rows = api(world.partner_co).get("/api/v1/contacts/").json()["results"]
    assert rows == []  # the mayor's phone number is not theirs to see
    assert api(world.partner_pe).get("/api/v1/contacts/").json()["results"][0]["id"] == world.pe_contact.pk


def test_rows_a_partner_cannot_see_show_as_null_or_not_at_all(world):
    outsider = new_stakeholder(world, "Gobernación de La Guajira")  # not a coalition member
    world.co_initiative.lead = outsider
    world.co_initiative.save()
    engagement = Engagement.objects.get(pk=world.co_engagement.pk)
    engagement.participants.set([world.co_org, outsider])
    client = api(world.partner_co)
    initiative = client.get(f"/api/v1/initiatives/{world.co_initiative.pk}/").json()
    assert initiative["lead"] is None and initiative["lead_brief"] is None
    assert client.get(f"/api/v1/engagements/{engagement.pk}/").json()["participants"] == [world.co_org.pk]
    staff_view = api(world.staff_co).get(f"/api/v1/engagements/{engagement.pk}/").json()
    assert sorted(staff_view["participants"]) == sorted([world.co_org.pk, outsider.pk])


def test_cross_partner_writes_all_fail_and_change_nothing(world):
    client = api(world.partner_pe)
    before = snapshot()
    co_rows = {
        "coalitions": world.co_coalition,
        "commitments": world.co_commitment,
        "engagements": world.co_engagement,
        "outcomes": world.co_outcome,
        "stakeholders": world.co_mayor,
        "contacts": world.co_contact,
        "assessments": world.co_assessment,
        "initiatives": world.co_initiative,
    }
    answers = []
    for prefix, row in co_rows.items():
        url = f"/api/v1/{prefix}/{row.pk}/"
        answers += [
            client.get(url).status_code,
            client.patch(url, {"status": "done", "evidence": "x", "title": "x"}, format="json").status_code,
            client.put(url, {"status": "done"}, format="json").status_code,
            client.delete(url).status_code,
        ]
    # Its own coalition, naming Colombian rows in the body: 400, not a write.
    answers += [
        client.post(
            "/api/v1/engagements/",
            {
                "coalition": world.pe_coalition.pk,
                "occurred_on": "2026-02-01",
                "kind": "call",
                "title": "x",
                "participants": [world.co_mayor.pk],
            },
            format="json",
        ).status_code,
        client.post(
            "/api/v1/outcomes/",
            {
                "coalition": world.pe_coalition.pk,
                "description": "x",
                "observed_on": "2026-02-01",
                "actors": [world.co_mayor.pk],
            },
            format="json",
        ).status_code,
        client.post(
            "/api/v1/outcomes/",
            {"coalition": world.co_coalition.pk, "description": "x", "observed_on": "2026-02-01"},
            format="json",
        ).status_code,
    ]
    assert [code for code in answers if code < 400] == []
    assert set(answers) <= {400, 403, 404}
    assert snapshot() == before


def test_partner_may_change_only_status_and_evidence_of_its_own_commitments(world):
    client = api(world.partner_co)
    url = f"/api/v1/commitments/{world.co_commitment.pk}/"
    response = client.patch(url, {"status": "done", "evidence": "Map published"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    response = client.patch(url, {"description": "Something else", "status": "dropped"}, format="json")
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    world.co_commitment.refresh_from_db()
    assert (world.co_commitment.description, world.co_commitment.status) == ("Map rooftops", "done")


def test_partner_cannot_change_a_commitment_another_member_owns(world):
    from coalitions.models import Commitment

    theirs = Commitment.objects.create(coalition=world.co_coalition, owner=world.co_mayor, description="Fund it")
    response = api(world.partner_co).patch(f"/api/v1/commitments/{theirs.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_partner_engagement_is_recorded_by_the_partner(world):
    response = api(world.partner_co).post(
        "/api/v1/engagements/",
        {"coalition": world.co_coalition.pk, "occurred_on": "2026-02-01", "kind": "call", "title": "Llamada"},
        format="json",
    )
    assert response.status_code == 201
    assert Engagement.objects.get(pk=response.json()["id"]).recorded_by == world.partner_co


def test_partner_cannot_file_an_engagement_against_an_initiative_only(world):
    Initiative.objects.filter(pk=world.co_initiative.pk).update(is_public=True)
    response = api(world.partner_co).post(
        "/api/v1/engagements/",
        {"initiative": world.co_initiative.pk, "occurred_on": "2026-02-01", "kind": "call", "title": "x"},
        format="json",
    )
    assert response.status_code == 403  # partner engagements belong to one of their coalitions
    assert not Engagement.objects.filter(title="x").exists()


def model_filters(basename: str) -> dict[str, type]:
    """The list's filters that take an id of a scoped model (`?coalition=ID`), and that model."""
    filterset_class = VIEWSETS[basename].filterset_class
    if filterset_class is None:
        return {}
    return {
        name: filter_.get_queryset(None).model  # the choices are a callable of the request
        for name, filter_ in filterset_class.base_filters.items()
        if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter)
        and hasattr(filter_.get_queryset(None), "visible_to")
    }


@pytest.mark.parametrize(("prefix", "basename"), [(p, b) for p, b in LISTS if b not in STAFF_ONLY])
def test_a_filter_answers_a_hidden_id_as_it_answers_an_id_that_does_not_exist(world, prefix, basename):
    """Otherwise `?coalition=ID` would tell a partner which ids exist in other programmes."""
    client = api(world.partner_co)
    for name, model in model_filters(basename).items():
        hidden = model.objects.exclude(pk__in=model.objects.visible_to(world.partner_co).values("pk")).first()
        if hidden is None:
            continue  # every row of this model is visible to partners (countries)
        missing = model.objects.order_by("-pk").first().pk + 1000
        answers = [client.get(f"/api/v1/{prefix}/?{name}={pk}") for pk in (hidden.pk, missing)]
        assert answers[0].status_code == answers[1].status_code == 400, (name, [a.status_code for a in answers])
        assert answers[0].json() == answers[1].json()
