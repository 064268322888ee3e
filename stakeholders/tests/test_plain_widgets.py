"""The widgets the directory renders in Python keep the markup of Django's templates."""

import pytest
from django import forms

from stakeholders.forms import PlainTextInput


@pytest.mark.parametrize("value", [None, "", "reyes 11", 'a "quoted" <b>&amp;</b>', 12, "ñandú · Bogotá"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_q"},
        {"id": "id_q", "aria-invalid": "true", "aria-describedby": "id_q_error"},
        {"id": "x", "required": True, "disabled": False, "data-x": '"<>"', "maxlength": 40},
    ],
)
def test_plain_text_input_is_djangos_text_input(value, attrs):
    expected = forms.TextInput(attrs={"class": "wide"}).render("q", value, attrs=attrs)
    assert PlainTextInput(attrs={"class": "wide"}).render("q", value, attrs=attrs) == expected
