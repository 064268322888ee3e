"""A form's choice of rows refuses what is not an id before asking the database: a number beyond
the column's range would reach it and fail there (a 500 on SQLite) instead of in the form."""

from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

from core.forms import RowChoiceField, RowsChoiceField

HUGE = "99999999999999999999"


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for label in settings.PROJECT_APPS:
        config = apps.get_app_config(label)
        if not module_has_submodule(config.module, "forms"):
            continue
        module = import_module(f"{config.name}.forms")
        found += [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_choice_of_rows_refuses_what_is_not_an_id(form_class):
    loose = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, RowChoiceField | RowsChoiceField)
    ]
    assert loose == []


@pytest.mark.django_db
def test_an_id_beyond_any_row_is_a_form_error_not_a_server_error(world, staff_client):
    url = f"/stakeholders/{world.co_org.pk}/edit/"
    form = staff_client.get(url).context["form"]
    data = {
        name: form[name].value() or ""
        for name in form.fields
        if not isinstance(form.fields[name], forms.ModelMultipleChoiceField)
    }
    data["regions"] = [HUGE]
    response = staff_client.post(url, data)
    assert response.status_code == 400  # the form again, with its errors
    assert "regions" in response.context["form"].errors
    with pytest.raises(forms.ValidationError):
        RowChoiceField(queryset=world.co.regions.all()).clean(HUGE)
