"""Reference data (countries, regions, municipalities) is read by everyone who may read and changed by admins only,
in the API and the admin site: a staff token cannot delete Colombia's departments."""

import pytest
from django.contrib import admin
from rest_framework.test import APIClient

from core.access import REFERENCE_DATA
from core.tests.api_resources import RESOURCES, ROUTERS
from countries.models import Region

WRITES = ("create", "update", "partial_update", "destroy")


def reference_routes() -> list[tuple[str, str, type]]:
    """Every route of the routers that can write the countries app's rows (a future municipality
    table too); read-only views of them, such as a country's roll-up of figures, change nothing."""
    return [
        (prefix, basename, viewset)
        for router in ROUTERS
        for prefix, viewset, basename in router.registry
        if viewset.queryset.model._meta.app_label == "countries" and hasattr(viewset, "create")
    ]


def test_every_countries_route_is_reference_data():
    routes = reference_routes()
    assert {basename for _, basename, _ in routes} == REFERENCE_DATA


def send(client, world, prefix, basename, action):
    resource = RESOURCES[basename]
    obj = resource.make(world)
    list_url, detail_url = f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{obj.pk}/"
    if action == "list":
        return client.get(list_url)
    if action == "retrieve":
        return client.get(detail_url)
    if action == "create":
        return client.post(list_url, resource.body(world), format="json")
    if action == "update":
        return client.put(detail_url, resource.body(world), format="json")
    if action == "partial_update":
        return client.patch(detail_url, resource.change, format="json")
    return client.delete(detail_url)


@pytest.mark.parametrize("prefix,basename", [(prefix, basename) for prefix, basename, _ in reference_routes()])
@pytest.mark.parametrize("persona", ["staff_co", "staff_pe"])
def test_staff_read_reference_data_and_cannot_write_it(world, prefix, basename, persona):
    client = APIClient()
    client.force_authenticate(getattr(world, persona))
    for action in ("list", "retrieve"):
        assert send(client, world, prefix, basename, action).status_code == 200, action
    for action in WRITES:
        model = RESOURCES[basename].make(world).__class__
        before = model.objects.count()
        response = send(client, world, prefix, basename, action)
        assert response.status_code == 403, (action, response.content)
        assert model.objects.count() == before + 1  # only the row `send` made to act on


def test_a_staff_token_cannot_delete_a_colombian_department(world):
    client = APIClient()
    client.force_authenticate(world.staff_co)
    assert client.delete(f"/api/v1/regions/{world.guajira.pk}/").status_code == 403
    assert Region.objects.filter(pk=world.guajira.pk).exists()


@pytest.mark.parametrize("prefix,basename", [(prefix, basename) for prefix, basename, _ in reference_routes()])
def test_admins_write_reference_data(world, prefix, basename):
    client = APIClient()
    client.force_authenticate(world.admin)
    assert send(client, world, prefix, basename, "partial_update").status_code == 200
    assert send(client, world, prefix, basename, "destroy").status_code == 204


@pytest.mark.django_db
@pytest.mark.parametrize("basename", sorted(REFERENCE_DATA))
def test_the_admin_site_lets_staff_read_reference_data_only(rf, world, basename):
    model = next(v.queryset.model for _, b, v in reference_routes() if b == basename)
    model_admin = admin.site._registry[model]
    world.staff_co.is_staff = True
    world.staff_co.is_superuser = False
    request = rf.get("/")
    request.user = world.staff_co
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    request.user = world.admin
    assert model_admin.has_add_permission(request) and model_admin.has_delete_permission(request)
