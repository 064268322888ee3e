"""The roll-up: a national coalition with its local coalitions, an initiative's and a country's coalitions."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalitions import rollup as rollups
from coalitions.models import Coalition, Commitment, Engagement, LearningNote, Membership, Outcome
from coalitions.rollup import Figures, Period, coalition_rollup_coalitions, rollup
from stakeholders.models import Stakeholder

from .conftest import grow_coalition

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
PERIOD = Period(start=START, end=END)
D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def actor(world, name: str, sector: str) -> Stakeholder:
    return Stakeholder.objects.create(country=world.co, name=name, sector=sector, level="local")


def commitment(coalition, owner, due_on, status, created_on=None) -> Commitment:
    row = Commitment.objects.create(coalition=coalition, owner=owner, description="c", due_on=due_on, status=status)
    if created_on:
        Commitment.objects.filter(pk=row.pk).update(created_at=at(created_on))
    return row


def note(coalition, shared_with, created_on) -> LearningNote:
    row = LearningNote.objects.create(title="n", body="b", coalition=coalition)
    row.shared_with.set(shared_with)
    LearningNote.objects.filter(pk=row.pk).update(created_at=at(created_on))
    return row


@pytest.fixture
def national(world):
    """The national coalition N, its local coalitions La Guajira (G) and Cesar (C), and Córdoba (K), which
    left the national link. Hand-counted figures for 2026-01-01 to 2026-06-30 are in the tests below."""
    initiative = world.co_initiative
    n = Coalition.objects.create(
        initiative=initiative, name="Comunidades Energéticas", level="national", shared_goal="g"
    )
    g = world.co_coalition  # members co_org and co_mayor since 2026-01-15; an engagement and an outcome that day
    g.parent = n
    g.save()
    c = Coalition.objects.create(
        initiative=initiative, name="Coalición Cesar", level="local", shared_goal="g", parent=n
    )
    k = Coalition.objects.create(initiative=initiative, name="Coalición Córdoba", level="local", shared_goal="g")

    former = actor(world, "Left before", "media")
    leaver = actor(world, "Left during", "academia")
    late = actor(world, "Joined after", "media")
    one_day = actor(world, "Left on the first day", "community")
    Membership.objects.create(coalition=g, stakeholder=former, joined_on=D(2025, 3, 1), left_on=D(2025, 12, 31))
    Membership.objects.create(coalition=g, stakeholder=leaver, joined_on=D(2025, 6, 1), left_on=D(2026, 2, 1))
    Membership.objects.create(coalition=g, stakeholder=late, joined_on=D(2026, 7, 15))
    Membership.objects.create(coalition=c, stakeholder=world.co_org, joined_on=D(2026, 2, 1))
    Membership.objects.create(coalition=c, stakeholder=one_day, joined_on=D(2026, 1, 1), left_on=D(2026, 1, 1))
    Membership.objects.create(coalition=n, stakeholder=world.co_mayor, joined_on=D(2025, 1, 1))
    Membership.objects.create(coalition=k, stakeholder=late, joined_on=D(2026, 1, 1))

    met = Engagement.objects.create(coalition=g, occurred_on=D(2026, 3, 10), kind="meeting", title="Mesa")
    met.participants.set([world.co_org, world.co_mayor])
    Engagement.objects.create(coalition=g, occurred_on=D(2026, 8, 1), kind="meeting", title="After")
    last_day = Engagement.objects.create(coalition=n, occurred_on=END, kind="dialogue", title="Diálogo")
    last_day.participants.set([world.co_mayor])
    Engagement.objects.create(coalition=k, occurred_on=D(2026, 2, 1), kind="call", title="Córdoba")

    commitment(g, world.co_org, D(2026, 3, 1), "done", created_on=D(2026, 2, 1))
    commitment(g, world.co_org, D(2026, 4, 1), "planned", created_on=D(2026, 2, 1))  # overdue: today is later
    commitment(g, world.co_org, D(2026, 5, 1), "dropped")
    commitment(g, world.co_org, D(2026, 9, 1), "planned")
    commitment(n, world.co_mayor, START, "done", created_on=START)
    commitment(k, world.co_org, D(2026, 2, 1), "done", created_on=D(2026, 1, 10))

    Outcome.objects.create(coalition=g, description="before", observed_on=D(2025, 12, 31))
    Outcome.objects.create(coalition=n, description="last day", observed_on=END)
    Outcome.objects.create(coalition=k, description="Córdoba", observed_on=D(2026, 3, 1))

    note(g, [n], D(2026, 2, 10))  # shared up
    note(n, [g, c], D(2026, 3, 1))  # shared down to both
    note(g, [c], D(2026, 3, 5))  # between siblings: neither up nor down
    note(n, [g], D(2025, 12, 1))  # before the period
    world.n, world.g, world.c, world.k = n, g, c, k
    return world


N_FIGURES = Figures(
    members_active=1,
    sectors=1,
    engagements=1,
    participants=1,
    commitments_made=1,
    commitments_due=1,
    commitments_done=1,
    outcomes=1,
)
G_FIGURES = Figures(
    members_active=3,  # co_org, co_mayor, the one who left during the period
    sectors=3,
    engagements=2,
    participants=2,
    commitments_made=2,
    commitments_due=2,  # the dropped one is not due, the September one is outside
    commitments_done=1,
    commitments_overdue=1,
    outcomes=1,
    notes_shared_up=1,
    notes_shared_down=1,
)
C_FIGURES = Figures(members_active=2, sectors=2, notes_shared_down=1)


def test_national_rollup_against_hand_counts(national):
    world = national
    found = rollup(coalition_rollup_coalitions(world.n, world.staff_co), PERIOD)
    assert [column.coalition for column in found.columns] == [world.n, world.c, world.g]  # K left the link
    by_name = {column.coalition.pk: column.figures for column in found.columns}
    assert by_name[world.n.pk] == N_FIGURES
    assert by_name[world.g.pk] == G_FIGURES
    assert by_name[world.c.pk] == C_FIGURES
    assert by_name[world.g.pk].fulfilment_rate == 0.5
    assert by_name[world.c.pk].fulfilment_rate is None
    assert found.total == Figures(
        members_active=4,  # co_mayor and co_org are in two coalitions each: counted once
        sectors=4,
        engagements=3,
        participants=2,
        commitments_made=3,
        commitments_due=3,
        commitments_done=2,
        commitments_overdue=1,
        outcomes=2,
        notes_shared_up=1,
        notes_shared_down=2,
    )
    assert found.total.fulfilment_percent == 67


@pytest.mark.parametrize(
    "period", [PERIOD, Period(D(2025, 1, 1), D(2026, 12, 31)), Period(D(2020, 1, 1), D(2020, 12, 31))]
)
def test_a_countrys_thousands_counted_table_by_table_are_the_figures_counted_coalition_by_coalition(
    national, monkeypatch, period
):
    world = national
    coalitions = [world.n, world.g, world.c, world.k]
    correlated = rollup(coalitions, period)
    cache.clear()
    monkeypatch.setattr(rollups, "GROUPED_FROM", 1)
    grouped = rollup(coalitions, period)
    assert grouped == correlated
    if period == PERIOD:
        by_pk = {column.coalition.pk: column.figures for column in grouped.columns}
        assert (by_pk[world.n.pk], by_pk[world.g.pk], by_pk[world.c.pk]) == (N_FIGURES, G_FIGURES, C_FIGURES)


def test_counted_table_by_table_the_queries_do_not_grow_with_the_coalitions(national, monkeypatch):
    monkeypatch.setattr(rollups, "GROUPED_FROM", 1)
    world = national
    two = queries(lambda: rollup([world.n, world.g], PERIOD))
    four = queries(lambda: rollup([world.n, world.g, world.c, world.k], PERIOD))
    assert two == four


def test_an_empty_period_counts_nothing(national):
    world = national
    found = rollup(coalition_rollup_coalitions(world.n, world.staff_co), Period(D(2020, 1, 1), D(2020, 12, 31)))
    assert all(column.figures == Figures() for column in found.columns)
    assert found.total == Figures()
    assert found.total.fulfilment_rate is None


def test_no_coalitions_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rollup([], PERIOD).total == Figures()


def test_default_period_is_the_last_365_days_both_included():
    period = Period.default(D(2026, 12, 31))
    assert (period.start, period.end) == (D(2026, 1, 1), D(2026, 12, 31))


def test_an_end_in_the_first_year_is_no_error(staff_api, world):
    response = staff_api.get(f"/api/v1/coalitions/{world.co_coalition.pk}/rollup/", {"end": "0001-01-05"})
    assert response.status_code == 200
    assert response.json()["start"] == "0001-01-01"


def queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_constant_queries_with_two_or_six_coalitions(world):
    national_coalition = Coalition.objects.create(
        initiative=world.co_initiative, name="Nacional", level="national", shared_goal="g"
    )

    def local(index):
        child = Coalition.objects.create(
            initiative=world.co_initiative,
            name=f"Local {index}",
            level="local",
            shared_goal="g",
            parent=national_coalition,
        )
        grow_coalition(child, 3)

    local(1)
    two = queries(lambda: rollup(coalition_rollup_coalitions(national_coalition, world.staff_co), PERIOD))
    for index in range(2, 6):
        local(index)
    six = queries(lambda: rollup(coalition_rollup_coalitions(national_coalition, world.staff_co), PERIOD))
    assert two == six


def test_rollup_pages_keep_a_constant_query_count(staff_client, world):
    national_coalition = Coalition.objects.create(
        initiative=world.co_initiative, name="Nacional", level="national", shared_goal="g"
    )
    urls = [
        reverse("coalitions:initiative_rollup", kwargs={"pk": world.co_initiative.pk}),
        reverse("coalitions:country_rollup", kwargs={"code": "CO"}),
        reverse("coalitions:coalition_rollup", kwargs={"pk": national_coalition.pk}),
        national_coalition.get_absolute_url(),
    ]
    for index in range(1, 2):
        grow_coalition(
            Coalition.objects.create(
                initiative=world.co_initiative,
                name=f"L{index}",
                level="local",
                shared_goal="g",
                parent=national_coalition,
            ),
            2,
        )
    few = [queries(lambda url=url: staff_client.get(url)) for url in urls]
    for index in range(2, 6):
        grow_coalition(
            Coalition.objects.create(
                initiative=world.co_initiative,
                name=f"L{index}",
                level="local",
                shared_goal="g",
                parent=national_coalition,
            ),
            2,
        )
    assert [queries(lambda url=url: staff_client.get(url)) for url in urls] == few


def period_query() -> dict:
    return {"start": START.isoformat(), "end": END.isoformat()}


def test_national_coalition_page_shows_its_local_coalitions_side_by_side(staff_client, national):
    world = national
    page = staff_client.get(world.n.get_absolute_url(), period_query())
    # The page loads its roll-up after its first paint (htmx), for the period it was asked for.
    panel_url = reverse("coalitions:coalition_rollup", kwargs={"pk": world.n.pk})
    panel_query = f"{panel_url}?start={START.isoformat()}&amp;end={END.isoformat()}"
    assert f'hx-get="{panel_query}"' in page.content.decode()
    assert f'href="{panel_query}"' in page.content.decode()
    response = staff_client.get(panel_url, period_query(), HTTP_HX_REQUEST="true")
    found = response.context["rollup"]
    assert [column.coalition for column in found.columns] == [world.n, world.c, world.g]
    content = response.content.decode()
    assert "This coalition and its local coalitions" in content
    assert "<html" not in content  # the panel alone
    assert f'action="{world.n.get_absolute_url()}#rollup"' in content  # a new period reloads the coalition's page
    assert "Coalición Córdoba" not in content
    # Without JavaScript, the same roll-up is a page of its own.
    alone = staff_client.get(panel_url, period_query())
    assert "<html" in alone.content.decode() and alone.context["rollup"].total == found.total
    # A local coalition (no coalitions linked to it) has no roll-up section.
    local = staff_client.get(world.g.get_absolute_url())
    assert "rollup_url" not in local.context and 'id="rollup"' not in local.content.decode()


def test_initiative_and_country_pages_include_every_coalition(staff_client, national):
    world = national
    for url in (
        reverse("coalitions:initiative_rollup", kwargs={"pk": world.co_initiative.pk}),
        reverse("coalitions:country_rollup", kwargs={"code": "co"}),
    ):
        response = staff_client.get(url, period_query())
        assert response.status_code == 200
        found = response.context["rollup"]
        assert {column.coalition.pk for column in found.columns} == {world.n.pk, world.g.pk, world.c.pk, world.k.pk}
        assert found.total.engagements == 4  # K's call counts here
        assert found.total.commitments_done == 3


def test_page_refuses_an_end_before_the_start(staff_client, national):
    url = reverse("coalitions:initiative_rollup", kwargs={"pk": national.co_initiative.pk})
    response = staff_client.get(url, {"start": "2026-06-30", "end": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["period_form"].errors["end"]


def test_rollup_pages_in_spanish(staff_client, national):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    panel_url = reverse("coalitions:coalition_rollup", kwargs={"pk": national.n.pk})
    content = staff_client.get(panel_url, period_query(), HTTP_HX_REQUEST="true").content.decode()
    assert "Esta coalición y sus coaliciones locales" in content
    assert "Miembros activos" in content
    assert "Notas compartidas hacia arriba" in content
    url = reverse("coalitions:country_rollup", kwargs={"code": "CO"})
    assert "Consolidado de las coaliciones de" in staff_client.get(url).content.decode()


def test_rollup_pages_are_for_staff(partner_client, national):
    url = reverse("coalitions:initiative_rollup", kwargs={"pk": national.co_initiative.pk})
    assert partner_client.get(url).status_code == 403
    url = reverse("coalitions:coalition_rollup", kwargs={"pk": national.n.pk})
    assert partner_client.get(url).status_code == 403
    assert partner_client.get(url, HTTP_HX_REQUEST="true").status_code == 403


def test_coalition_rollup_of_no_coalition_is_404(staff_client, world):
    url = reverse("coalitions:coalition_rollup", kwargs={"pk": 999999})
    assert staff_client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_api_coalition_rollup(staff_api, national):
    world = national
    response = staff_api.get(f"/api/v1/coalitions/{world.n.pk}/rollup/", period_query())
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-06-30")
    assert [row["coalition"]["name"] for row in body["coalitions"]] == [
        "Comunidades Energéticas",
        "Coalición Cesar",
        "Coalición La Guajira",
    ]
    guajira = body["coalitions"][2]["figures"]
    assert guajira["members_active"] == 3 and guajira["fulfilment_rate"] == 0.5
    assert body["total"]["members_active"] == 4
    assert body["total"]["notes_shared_down"] == 2


@pytest.mark.parametrize(
    "query", [{"start": "01/01/2026"}, {"end": "soon"}, {"start": "2026-06-30", "end": "2026-01-01"}]
)
def test_api_rollup_refuses_bad_dates(staff_api, world, query):
    response = staff_api.get(f"/api/v1/initiatives/{world.co_initiative.pk}/rollup/", query)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_partner_sees_only_its_own_coalitions(partner_api, other_partner_api, national):
    world = national  # partner-co's organisation is an open member of La Guajira and Cesar, not of N or Córdoba
    assert partner_api.get(f"/api/v1/coalitions/{world.n.pk}/rollup/").status_code == 404
    own = partner_api.get(f"/api/v1/coalitions/{world.g.pk}/rollup/", period_query()).json()
    assert [row["coalition"]["id"] for row in own["coalitions"]] == [world.g.pk]
    for url in (f"/api/v1/initiatives/{world.co_initiative.pk}/rollup/", f"/api/v1/countries/{world.co.pk}/rollup/"):
        body = partner_api.get(url, period_query()).json()
        assert {row["coalition"]["id"] for row in body["coalitions"]} == {world.g.pk, world.c.pk}
        # Another country's partner sees this initiative or country (public) but none of its figures.
        other = other_partner_api.get(url)
        assert other.status_code in (200, 404)
        assert other.status_code == 404 or other.json()["coalitions"] == []


def test_api_rollup_keeps_a_constant_query_count(staff_api, world):
    url = f"/api/v1/countries/{world.co.pk}/rollup/"
    grow_coalition(
        Coalition.objects.create(initiative=world.co_initiative, name="L1", level="local", shared_goal="g"), 2
    )
    few = queries(lambda: staff_api.get(url))
    for index in range(2, 6):
        grow_coalition(
            Coalition.objects.create(initiative=world.co_initiative, name=f"L{index}", level="local", shared_goal="g"),
            2,
        )
    assert queries(lambda: staff_api.get(url)) == few


# The kept figures and the pages: the same figures as counting afresh, whatever was written since.


def coalitions_of(world) -> list:
    return [world.n, world.g, world.c, world.k]


def afresh(coalitions, total_of=None) -> tuple[list[Figures], Figures]:
    """The figures counted from the database, past the cache (the plain path)."""
    ids = [c.pk for c in coalitions]
    per, totals = rollups._figures(ids, ids if total_of is None else total_of, PERIOD)
    return [Figures(**per[pk]) for pk in ids], Figures(**totals)


def shown(found) -> tuple[list[Figures], Figures]:
    return [column.figures for column in found.columns], found.total


def test_kept_figures_are_those_counted_afresh_and_cost_no_query(national, django_assert_num_queries):
    coalitions = coalitions_of(national)
    first = rollup(coalitions, PERIOD)
    assert shown(first) == afresh(coalitions)
    with django_assert_num_queries(0):
        again = rollup(coalitions, PERIOD)
    assert shown(again) == shown(first)


@pytest.mark.parametrize("split", [1, 2, 3])
def test_a_page_of_coalitions_has_the_columns_and_the_total_of_all_of_them(national, split):
    coalitions = coalitions_of(national)
    every = [c.pk for c in coalitions]
    whole = rollup(coalitions, PERIOD)
    for page in (coalitions[:split], coalitions[split:]):
        found = rollup(page, PERIOD, total_of=every)
        assert found.total == whole.total  # actors counted once, the rest summed over every coalition
        assert [column.figures for column in found.columns] == [
            column.figures for column in whole.columns if column.coalition in page
        ]
    cache.clear()
    assert afresh(coalitions[:split], total_of=every)[1] == whole.total


def add_engagement(world):
    Engagement.objects.create(coalition=world.c, occurred_on=datetime.date(2026, 4, 2), kind="call", title="New")


def delete_outcome(world):
    Outcome.objects.filter(coalition=world.k).first().delete()


def finish_commitments(world):
    Commitment.objects.filter(coalition=world.g, status="planned").update(status="done")  # a bulk write


def add_participant(world):
    Engagement.objects.get(title="Diálogo").participants.add(world.co_org)


def change_sector(world):
    world.co_org.sector = "media"
    world.co_org.save()


def end_membership(world):
    membership = Membership.objects.get(coalition=world.n)
    membership.left_on = datetime.date(2025, 12, 31)
    membership.save()


def unlink_coalition(world):
    world.g.parent = None
    world.g.save()


def unshare_note(world):
    LearningNote.objects.filter(coalition=world.n).first().shared_with.clear()


@pytest.mark.parametrize(
    "write",
    [
        add_engagement,
        delete_outcome,
        finish_commitments,
        add_participant,
        change_sector,
        end_membership,
        unlink_coalition,
        unshare_note,
    ],
)
def test_every_write_to_a_counted_row_drops_the_kept_figures(national, write):
    coalitions = coalitions_of(national)
    every = [c.pk for c in coalitions]
    before = shown(rollup(coalitions, PERIOD)), shown(rollup(coalitions[:1], PERIOD, total_of=every))
    write(national)
    after = shown(rollup(coalitions, PERIOD)), shown(rollup(coalitions[:1], PERIOD, total_of=every))
    assert after == (afresh(coalitions), afresh(coalitions[:1], total_of=every))
    assert after != before


def test_a_country_roll_up_shows_a_page_of_coalitions_with_the_total_of_all(staff_client, national, monkeypatch):
    monkeypatch.setattr(rollups, "ROLLUP_PAGE_SIZE", 3)
    url = reverse("coalitions:country_rollup", kwargs={"code": "co"})
    query = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    first = staff_client.get(url, query)
    second = staff_client.get(url, {**query, "page": 2})
    columns = [column.coalition for page in (first, second) for column in page.context["rollup"].columns]
    assert len(first.context["rollup"].columns) == 3
    assert sorted(c.pk for c in columns) == sorted(c.pk for c in coalitions_of(national))
    assert first.context["rollup"].total == second.context["rollup"].total == rollup(columns, PERIOD).total
    assert "page=2#rollup" in first.content.decode()
    assert "not only those of this page" in first.content.decode()


def test_a_kept_country_total_follows_a_new_coalition_and_equals_the_total_counted_afresh(
    staff_client, national, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(rollups, "ROLLUP_PAGE_SIZE", 2)
    url = reverse("coalitions:country_rollup", kwargs={"code": "co"})
    query = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    staff_client.get(url, query)
    # Kept: the session, the user, the country and the page's own coalitions; no coalition is listed to
    # find the total, nor any figure counted.
    with django_assert_num_queries(4):
        kept = staff_client.get(url, query).context
    coalitions = list(Coalition.objects.filter(initiative__country=national.co))
    assert kept["rollup_page"].paginator.count == len(coalitions)
    assert kept["rollup"].total == afresh(coalitions)[1]
    newcomer = Coalition.objects.create(
        initiative=national.co_initiative, name="Coalición Magdalena", level="local", shared_goal="g"
    )
    Membership.objects.create(
        coalition=newcomer, stakeholder=actor(national, "Red Magdalena", "media"), joined_on=START
    )
    after = staff_client.get(url, query).context
    assert after["rollup_page"].paginator.count == len(coalitions) + 1
    assert after["rollup"].total == afresh([*coalitions, newcomer])[1] != kept["rollup"].total


def test_a_roll_up_page_shows_what_changed_since_its_table_was_kept(staff_client, national):
    url = reverse("coalitions:country_rollup", kwargs={"code": "co"})
    query = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}

    def table() -> str:
        content = staff_client.get(url, query).content.decode()
        return content[content.index('<table class="rollup-table">') : content.index("</table>")]

    before = table()
    assert table() == before  # kept
    add_engagement(national)
    national.k.name = "Coalición Córdoba y Sucre"
    national.k.save()
    after = table()
    assert after != before and "Coalición Córdoba y Sucre" in after
    cache.clear()
    assert table() == after  # as rendered afresh
