"""Helpers for the coalitions page tests: grow the shared `world` to a given size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalitions.models import Assessment, Coalition, Commitment, Engagement, LearningNote, Membership, Outcome
from stakeholders.models import Stakeholder


def add_stakeholders(country, count: int, prefix: str = "Actor") -> list[Stakeholder]:
    sectors = Stakeholder.Sector.values
    return Stakeholder.objects.bulk_create(
        Stakeholder(
            country=country, name=f"{prefix} {index:03d}", sector=sectors[index % len(sectors)], level="subnational"
        )
        for index in range(count)
    )


def assess(initiative, stakeholders, day: datetime.date, **scores) -> None:
    """One assessment per stakeholder on `day`, with scores that vary between actors unless given."""
    Assessment.objects.bulk_create(
        Assessment(
            stakeholder=stakeholder,
            initiative=initiative,
            assessed_on=day,
            power=scores.get("power", 1 + index % 5),
            interest=scores.get("interest", 1 + (index // 5) % 5),
            capabilities=scores.get("capabilities", 1 + (index // 25) % 5),
            stance=scores.get("stance", index % 5 - 2),
        )
        for index, stakeholder in enumerate(stakeholders)
    )


def grow_coalition(coalition, size: int) -> None:
    """`size` more members, commitments (half due soon), engagements with participants, outcomes and notes."""
    today = timezone.localdate()
    people = add_stakeholders(coalition.initiative.country, size, prefix=f"{coalition.name} member")
    Membership.objects.bulk_create(
        Membership(coalition=coalition, stakeholder=person, joined_on=today - datetime.timedelta(days=30))
        for person in people
    )
    Commitment.objects.bulk_create(
        Commitment(
            coalition=coalition,
            owner=person,
            description=f"Task {index}",
            due_on=today + datetime.timedelta(days=index % 20 - 5),
        )
        for index, person in enumerate(people)
    )
    for index in range(len(people)):
        occurred_on = today - datetime.timedelta(days=index)
        engagement = Engagement.objects.create(
            coalition=coalition,
            occurred_on=occurred_on,
            kind="meeting",
            title=f"Meeting {index}",
            follow_up_on=max(occurred_on, today + datetime.timedelta(days=index % 10 - 3)),
        )
        engagement.participants.set(people[:3])
        outcome = Outcome.objects.create(coalition=coalition, description=f"Change {index}", observed_on=today)
        outcome.actors.set(people[:2])
        LearningNote.objects.create(coalition=coalition, title=f"Note {index}", body="What we learnt")


def add_coalitions(initiative, count: int) -> None:
    Coalition.objects.bulk_create(
        Coalition(
            initiative=initiative, name=f"Coalition {index:03d}", level="local", shared_goal="Goal", status="active"
        )
        for index in range(count)
    )


@pytest.fixture
def count_queries():
    """Run `fetch` and return how many queries it made (to compare two sizes).

    Counted on a second run, as a running server answers: the first fills what is kept in the cache
    between requests (the countries, core.short_tables), which the run to compare with finds there.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(fetch) -> int:
        fetch()
        with CaptureQueriesContext(connection) as captured:
            response = fetch()
        assert response.status_code == 200
        return len(captured)

    return run


#: The panels a coalition's page loads after its first paint (coalitions.views.coalitions.PANELS).
COALITION_PANELS = ["health", "plan", "records", "children"]


def coalition_panel_url(name: str, coalition) -> str:
    return reverse(f"coalitions:coalition_{name}", kwargs={"pk": coalition.pk})


def page_and_panels(client, coalition, **params) -> str:
    """A coalition's page with the panels it loads after its first paint, as a browser shows it."""
    html = client.get(coalition.get_absolute_url(), params).content.decode()
    return html + "".join(
        client.get(coalition_panel_url(name, coalition), headers={"HX-Request": "true"}).content.decode()
        for name in COALITION_PANELS
    )
