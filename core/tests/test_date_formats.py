"""Dates read one way per language: English always `23 Nov 2026`, whichever filter a template uses."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

DAY = datetime.date(2026, 11, 23)
TEMPLATE = Template('{{ day }}|{{ day|date }}|{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}')


def test_english_dates_are_in_one_format_whatever_the_filter():
    with translation.override("en"):
        shown = set(TEMPLATE.render(Context({"day": DAY})).split("|"))
    assert shown == {"23 Nov 2026"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_short_date_is_never_ambiguous_about_day_and_month(language):
    with translation.override(language):
        short = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": datetime.date(2026, 11, 12)}))
    assert not short.startswith("11")  # day first in both languages
