"""In Spanish, every edit form with a date shows the saved date in its date input and keeps it on save.

The data loss this guards against: a date rendered in the locale's format (`15/09/2026`) into an
`<input type="date">` shows empty in the browser, and saving the form unchanged wipes it.
"""

import datetime
import re

import pytest
from django.db import connections
from django.urls import reverse

from coalitions.models import Membership
from planning.models import EntryPoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = datetime.date(2026, 9, 15)


def entry_point(world):
    return EntryPoint.objects.create(
        country=world.co,
        title="Solar schools",
        challenge="No power",
        feasibility=4,
        impact=4,
        added_value=4,
        analysed_on=SAVED,
    )


def dated(row, **fields):
    type(row).objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


#: (edit page, the row with a date already saved, the date fields of its form)
FORMS = {
    "entry point (analysed on)": ("planning:entrypoint_edit", entry_point, ["analysed_on"]),
    "initiative (starts, ends on)": (
        "coalitions:initiative_update",
        lambda w: dated(w.co_initiative, starts_on=SAVED, ends_on=SAVED + datetime.timedelta(days=400)),
        ["starts_on", "ends_on"],
    ),
    "coalition (formed on)": (
        "coalitions:coalition_update",
        lambda w: dated(w.co_coalition, formed_on=SAVED),
        ["formed_on"],
    ),
    "membership (joined on)": (
        "coalitions:membership_update",
        lambda w: dated(Membership.objects.filter(coalition=w.co_coalition).first(), joined_on=SAVED),
        ["joined_on"],
    ),
    "commitment (due on)": ("coalitions:commitment_update", lambda w: dated(w.co_commitment, due_on=SAVED), ["due_on"]),
    "engagement (occurred on, follow up on)": (
        "coalitions:engagement_update",
        lambda w: dated(w.co_engagement, occurred_on=SAVED, follow_up_on=SAVED + datetime.timedelta(days=7)),
        ["occurred_on", "follow_up_on"],
    ),
    "outcome (observed on)": (
        "coalitions:outcome_update",
        lambda w: dated(w.co_outcome, observed_on=SAVED),
        ["observed_on"],
    ),
}


@pytest.mark.parametrize("case", list(FORMS), ids=list(FORMS))
def test_in_spanish_a_saved_date_is_shown_in_its_input_and_survives_saving(case, world, browser_page):
    url_name, make, fields = FORMS[case]
    row = make(world)  # before the browser runs: see planning/tests/test_browser.py
    before = {name: getattr(row, name) for name in fields}
    url = reverse(url_name, kwargs={"pk": row.pk})
    page = browser_page
    try:
        page.login(world.staff_co)
        page.goto("/dashboard/")
        page.get_by_label("Language").select_option("es")  # submits itself (site.js)
        page.get_by_role("heading", name="Panel", level=1).wait_for()
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "es"
        for name in fields:
            field = page.locator(f"input[name='{name}']")
            assert field.get_attribute("type") == "date"
            assert field.input_value() == before[name].isoformat()
        form = page.locator(f"form:has(input[name='{fields[0]}'])")
        form.get_by_role("button", name=re.compile("^Guardar")).click()
        page.wait_for_load_state()
        assert not page.url.endswith(url), "the unchanged form was refused"
        row.refresh_from_db()
        assert {name: getattr(row, name) for name in fields} == before
    finally:
        connections.close_all()
