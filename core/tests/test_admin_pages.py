"""Every admin changelist and add page renders for a superuser, in a constant number of queries."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def model_id(model) -> str:
    return model._meta.label


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw", role="admin")
    client.force_login(user)
    return client


def changelist_queries(client, model) -> int:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=model_id)
def test_admin_add_page_renders_unless_the_model_is_read_only(superuser_client, model):
    response = superuser_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    read_only = not admin.site._registry[model].has_add_permission(response.wsgi_request)
    assert response.status_code == (403 if read_only else 200)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=model_id)
def test_admin_changelist_query_count_does_not_grow_with_rows(superuser_client, model):
    small = changelist_queries(superuser_client, model)
    call_command("seed_demo", allow_production=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert changelist_queries(superuser_client, model) <= small + 1  # +1: the "show all" count appears


@pytest.mark.django_db
def test_admin_change_pages_render_for_demo_rows(superuser_client):
    call_command("seed_demo", allow_production=True, stdout=io.StringIO(), stderr=io.StringIO())
    opened = set()
    for model in ADMIN_MODELS:
        obj = model._default_manager.first()
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        assert superuser_client.get(url).status_code == 200, url
        opened.add(model._meta.app_label)
    assert {"countries", "stakeholders", "accounts", "coalitions"} <= opened
