"""Every route, action and persona answers as the rules in `core.api.permissions` say.

Columns: admin, staff of Colombia (owns the row), staff of Peru, partner-co (its organisation
is in the Colombian coalition), partner-pe (sees nothing Colombian), anonymous. The row acted
on is Colombian and fresh (see api_resources). 404 means out of sight, like a missing id.
"""

import pytest
from rest_framework.test import APIClient

from core.testing import response_body

from .api_resources import RESOURCES, routes

PERSONAS = ("admin", "staff_co", "staff_pe", "partner_co", "partner_pe", "anonymous")

# fmt: off
READ_ALL =       {"list": "200 200 200 200 200 401", "retrieve": "200 200 200 200 200 401"}
READ_MEMBERS =   {"list": "200 200 200 200 200 401", "retrieve": "200 200 200 200 404 401"}
READ_STAFF =     {"list": "200 200 200 403 403 401", "retrieve": "200 200 200 404 404 401"}
STAFF_WRITES =   {"create": "201 201 403 403 403 401", "update": "200 200 403 403 403 401",
                  "partial_update": "200 200 403 403 403 401", "destroy": "204 204 403 403 403 401"}
STAFF_WRITES_MEMBERS_SEE = {**STAFF_WRITES, "update": "200 200 403 403 404 401",
                            "partial_update": "200 200 403 403 404 401", "destroy": "204 204 403 403 404 401"}
STAFF_WRITES_NONE_SEE = {**STAFF_WRITES, "update": "200 200 403 404 404 401",
                         "partial_update": "200 200 403 404 404 401", "destroy": "204 204 403 404 404 401"}
ADMIN_WRITES =   {"create": "201 403 403 403 403 401", "update": "200 403 403 403 403 401",
                  "partial_update": "200 403 403 403 403 401", "destroy": "204 403 403 403 403 401"}
PARTNER_CREATES = {**STAFF_WRITES_MEMBERS_SEE, "create": "201 201 403 201 400 401"}

MATRIX: dict[str, dict[str, str]] = {
    "country":      {**READ_ALL, **ADMIN_WRITES},                      # reference data
    "country-rollup": {"rollup": "200 200 200 200 200 401"},            # partners: their coalitions' figures only
    "region":       {**READ_ALL, **ADMIN_WRITES},
    "municipality": {**READ_ALL, **ADMIN_WRITES},
    "attachment":   {**READ_MEMBERS, "create": "201 201 403 201 400 401",  # partner-co owns the commitment
                     "destroy": "204 204 403 403 404 401", "download": "200 200 200 200 404 401"},
    "stakeholder":  {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},
    "contact":      {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},      # partner-co: its own people only
    "relationship": {**READ_STAFF, **STAFF_WRITES_NONE_SEE},
    "initiative":   {**READ_MEMBERS, **STAFF_WRITES_NONE_SEE, "retrieve": "200 200 200 404 404 401",
                     "map": "200 200 200 404 404 401",                  # not public, no partner coalition
                     "rollup": "200 200 200 404 404 401"},
    "assessment":   {**READ_STAFF, **STAFF_WRITES_NONE_SEE},
    "coalition":    {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE, "health": "200 200 200 200 404 401",
                     "rollup": "200 200 200 200 404 401"},
    "membership":   {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},
    "commitment":   {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE,
                     "update": "200 200 403 400 404 401",               # partners may send only status/evidence
                     "partial_update": "200 200 403 200 404 401"},      # ...of commitments their org owns
    "engagement":   {**READ_MEMBERS, **PARTNER_CREATES},                # partner-pe names a foreign coalition: 400
    "outcome":      {**READ_MEMBERS, **PARTNER_CREATES},
    "learningnote": {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},
    "explorer":     {**READ_STAFF, **STAFF_WRITES_NONE_SEE},
    "entrypoint":   {**READ_STAFF, **STAFF_WRITES_NONE_SEE,
                     "select": "405 405 405 404 404 401"},              # POST only (the matrix GETs extra actions)
    "developmentplan": {**READ_ALL, **STAFF_WRITES},                    # public plans
    "planobjective":   {**READ_ALL, **STAFF_WRITES},
    "resourceflow":    {**READ_ALL, **STAFF_WRITES},                    # public resource data
    "budgetexecution": {**READ_ALL, **STAFF_WRITES},
    "indicator":       {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},    # partners: their coalitions' indicators
    "indicatorvalue":  {**READ_MEMBERS, **STAFF_WRITES_MEMBERS_SEE},
    "networksnapshot": READ_STAFF,                                      # read-only: the server takes them
    "coalitionhealthsnapshot": READ_MEMBERS,                            # read-only; partners: their coalitions'
}
# fmt: on

CASES = [
    (prefix, basename, action, persona, int(MATRIX.get(basename, {}).get(action, "0 " * 6).split()[column]))
    for prefix, basename, action in routes()
    for column, persona in enumerate(PERSONAS)
]


def test_every_route_and_action_has_a_matrix_row():
    served = {(basename, action) for _, basename, action in routes()}
    written = {(basename, action) for basename, actions in MATRIX.items() for action in actions}
    assert served - written == set(), "add these to MATRIX"
    assert written - served == set(), "MATRIX names routes the routers do not serve"


def test_every_resource_has_test_data():
    assert {basename for _, basename, _ in routes()} == set(RESOURCES)


def client_for(world, persona: str) -> APIClient:
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(getattr(world, persona))
    return client


@pytest.mark.parametrize(("prefix", "basename", "action", "persona", "expected"), CASES)
def test_permission_matrix(world, prefix, basename, action, persona, expected):
    resource = RESOURCES[basename]
    obj = resource.make(world)
    client = client_for(world, persona)
    list_url, detail_url = f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{obj.pk}/"
    model = type(obj)
    before = model.objects.count()

    if action == "list":
        response = client.get(list_url)
    elif action == "create":
        response = client.post(list_url, resource.body(world), format=resource.format)
    elif action == "retrieve":
        response = client.get(detail_url)
    elif action == "update":
        response = client.put(detail_url, resource.body(world), format="json")
    elif action == "partial_update":
        response = client.patch(detail_url, resource.change, format="json")
    elif action == "destroy":
        response = client.delete(detail_url)
    else:
        response = client.get(f"{detail_url}{action}/")
        response_body(response)  # a download streams an open file until read to its end

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["status"] == expected  # the one error format
        assert model.objects.count() == before  # nothing written
        obj_after = model.objects.filter(pk=obj.pk).first()
        assert obj_after is not None and obj_after.updated_at == obj.updated_at
