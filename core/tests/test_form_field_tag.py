"""`{% form_field %}` builds a field in Python: it must stay the markup of includes/field.html."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from core.templatetags.ui import form_field
from stakeholders.filters import StakeholderFilterSet
from stakeholders.forms import StakeholderForm
from stakeholders.models import Stakeholder


class Everything(forms.Form):
    required_css_class = "required"

    name = forms.CharField(help_text="Say <b>who</b>", label='Name & "alias"')
    question = forms.CharField(label="Really?", required=False)
    choice = forms.ChoiceField(choices=[("a", "A <1>"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple)
    number = forms.IntegerField(label_suffix=" →", required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"id": "custom-day"}))


def directory_form(user, query=None):
    """The directory's filter form, built as the page builds it."""
    request = RequestFactory().get("/stakeholders/", query)
    request.user = user
    return StakeholderFilterSet(request.GET, queryset=Stakeholder.objects.all(), request=request).form


def forms_to_compare(world):
    bound = directory_form(world.staff_co, {"country": "abc", "sector": ["nope"], "q": '"<x>"'})
    unbound = StakeholderFilterSet(None, queryset=Stakeholder.objects.all()).form
    return [
        bound,
        unbound,
        StakeholderForm(user=world.staff_co),
        StakeholderForm({"name": "", "website": "not a url"}, user=world.staff_co),
        Everything(),
        Everything({"number": "x", "choice": "z"}),
        Everything(auto_id=False),
        Everything(label_suffix=""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_form_field_is_the_fields_template_byte_for_byte(world, language):
    with translation.override(language):
        for form in forms_to_compare(world):
            for field in form:
                assert form_field(field) == render_to_string("includes/field.html", {"field": field}), field.name
