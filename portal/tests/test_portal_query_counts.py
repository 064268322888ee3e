"""Each portal list page costs the same number of queries whatever the number of its rows, eight at most."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalitions.models import Coalition, Commitment, Engagement, LearningNote, Membership, Outcome
from stakeholders.models import Stakeholder

PAGES = {
    "home": lambda w: {},
    "coalition_detail": lambda w: {"pk": w.co_coalition.pk},
    "coalition_section": lambda w: {"pk": w.co_coalition.pk, "section": "notes"},
    "commitment_list": lambda w: {},
    "learningnote_list": lambda w: {},
}


def add_rows(world, count: int) -> None:
    """`count` more of everything partner-co sees: coalitions it is in, members, its commitments, notes."""
    day = datetime.date(2026, 1, 10)
    for _ in range(count):
        n = Stakeholder.objects.count()
        member = Stakeholder.objects.create(
            country=world.co, name=f"Miembro {n}", sector="civil_society", level="local"
        )
        coalition = Coalition.objects.create(
            initiative=world.co_initiative, name=f"Coalición {n}", level="local", shared_goal="Solar"
        )
        Membership.objects.create(coalition=coalition, stakeholder=world.co_org, joined_on=day)
        Membership.objects.create(coalition=world.co_coalition, stakeholder=member, joined_on=day)
        Commitment.objects.create(coalition=world.co_coalition, owner=world.co_org, description=f"Task {n}")
        Engagement.objects.create(coalition=world.co_coalition, occurred_on=day, kind="call", title=f"Call {n}")
        Outcome.objects.create(coalition=world.co_coalition, description=f"Change {n}", observed_on=day)
        note = LearningNote.objects.create(title=f"Note {n}", body="b", coalition=coalition)
        note.shared_with.set([world.co_coalition])


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_portal_list_page_costs_the_same_queries_for_more_rows(world, partner_client, name):
    url = reverse(f"portal:{name}", kwargs=PAGES[name](world))
    add_rows(world, 2)
    few = queries_of(partner_client, url)
    add_rows(world, 8)
    many = queries_of(partner_client, url)
    assert many == few
    assert few <= 8


def test_every_portal_list_page_is_counted():
    from portal.tests.test_portal_permission_matrix import MATRIX

    readonly = {name for name, rows in MATRIX.items() if all(row[1] == "get" for row in rows)}
    assert readonly == set(PAGES)


SECTIONS = ("plan", "engagements", "outcomes", "notes")


def section_url(world, section: str) -> str:
    return reverse("portal:coalition_section", kwargs={"pk": world.co_coalition.pk, "section": section})


@pytest.mark.parametrize("section", SECTIONS)
def test_each_part_of_a_coalition_page_costs_the_same_queries_for_more_rows(world, partner_client, section):
    add_rows(world, 2)
    few = queries_of(partner_client, section_url(world, section))
    add_rows(world, 8)
    assert queries_of(partner_client, section_url(world, section)) == few <= 8


def test_each_part_of_a_coalition_page_counts_its_own_pages(world, partner_client):
    # The coalition's query counts the part's rows: each part's pages are its own rows' pages.
    add_rows(world, 12)
    url = reverse("portal:coalition_detail", kwargs={"pk": world.co_coalition.pk})
    pages = {"members": partner_client.get(url).context["members"]}
    for name in SECTIONS:
        pages[name] = partner_client.get(section_url(world, name), headers={"HX-Request": "true"}).context[name]
    for name, page in pages.items():
        assert page.paginator.count == page.paginator.object_list.count(), name
    assert pages["notes"].paginator.count == 12  # shared with the coalition, none of its own
    assert pages["members"].paginator.num_pages == 2
    last = partner_client.get(section_url(world, "outcomes"), {"outcomes": 2}).context["outcomes"]
    assert last.number == 2 and len(last.object_list) == last.paginator.count - 10


def test_the_page_passes_its_query_on_to_the_parts_it_loads(world, partner_client):
    # A part's pagination links to the page (`?outcomes=2`): the page hands that on to the part.
    html = partner_client.get(
        reverse("portal:coalition_detail", kwargs={"pk": world.co_coalition.pk}), {"outcomes": 2}
    ).content.decode()
    for name in SECTIONS:
        assert f'hx-get="{section_url(world, name)}?outcomes=2"' in html, name
