"""Every date input of every form of the project renders its value in ISO, whatever the language.

A browser's `<input type="date">` understands only `YYYY-MM-DD`: a value rendered in the active
locale's format (`15/09/2026` in Spanish) shows empty, and saving the form wipes the date. The
forms are found from each app's `forms` module (model forms and plain forms) and the FilterSets,
so a new form with a date is checked without being listed here.
"""

import datetime
import inspect
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from core.tests.filtersets import all_filtersets

DAY = datetime.date(2026, 9, 15)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("django.") and module_has_submodule(config.module, "forms"):
            module = import_module(f"{config.name}.forms")
            found += [
                value
                for value in vars(module).values()
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
            ]
    return found


def date_widgets() -> list[tuple[str, forms.Widget]]:
    found = [
        (f"{form.__module__}.{form.__name__}.{name}", field.widget)
        for form in project_form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)
    ]
    for filterset in all_filtersets():
        for name, filter_ in filterset.base_filters.items():
            field = filter_.field
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                found.append((f"{filterset.__name__}.{name}", field.widget))
            elif isinstance(field.widget, forms.MultiWidget) and "DateRange" in type(field).__name__:
                found += [
                    (f"{filterset.__name__}.{name}[{i}]", widget) for i, widget in enumerate(field.widget.widgets)
                ]
    return found


def test_the_forms_with_dates_are_found():
    names = [name for name, _widget in date_widgets()]
    assert any(name.endswith("EntryPointForm.analysed_on") for name in names)
    assert any(name.endswith("CoalitionCreateForm.joined_on") for name in names)  # a form's own date field
    assert len(names) > 15


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_date_input_renders_its_value_in_iso(language):
    with translation.override(language):
        wrong = [
            name
            for name, widget in date_widgets()
            if 'type="date"' not in (html := widget.render("day", DAY)) or 'value="2026-09-15"' not in html
        ]
    assert wrong == []
