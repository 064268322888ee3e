"""Period reports: what a coalition (with its linked local coalitions), an initiative or a country did
in a period, section by section, for the print-ready page and the XLSX workbook alike.

It lives here, above coalitions and results, because it gathers both. Its figures are the roll-up's
(`coalitions.rollup.rollup` over the same coalitions and period), so the report and the roll-up
pages cannot disagree; its lists cover the same rows the roll-up counts (the coalitions' own
engagements, commitments, outcomes and notes). The assessments that moved are
`coalitions.moves.moved_where` with `since` the period's start and `as_of` its end. The number of
queries does not depend on how much there is to report.

The page shows a country's hundreds of coalitions and thousands of moves a page at a time (the
summary as the roll-up pages do, its total counting them all; the moves furthest first); the
workbook lists every one of them.

Resource execution applies to a country and to an initiative (the regions it names): the money
that reached their regions and its budget execution, aggregated by the region resources page's own
functions (`planning.figures`). Public finance is recorded per fiscal year (transfers sometimes per
month), so the section covers the fiscal years the period touches, and of monthly transfers the
months within it. A coalition's report has no such section's figures: its money is its country's.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from coalitions.models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Outcome
from coalitions.moves import Move, Moved, moved_where
from coalitions.rollup import (
    COUNTED_MODELS,
    ROLLUP_PAGE_SIZE,
    Period,
    Rollup,
    coalition_rollup_coalitions,
    coalitions_of,
    rollup,
    rollup_page,
)
from core.access import is_staff_member
from core.parsing import parse_id
from core.short_tables import KEPT_TIMEOUT, table_version
from core.versions import rendering_key, row_values
from core.views import get_visible_or_404
from countries.models import Country
from planning import figures as planning_figures
from planning.models import BudgetExecution, ResourceFlow, execution_rate
from results.models import Indicator, IndicatorValue
from stakeholders.models import Stakeholder

#: The scopes a report is made for, as they appear in its address.
SCOPES = ("coalition", "initiative", "country")


@dataclass(frozen=True)
class KindRow:
    """One kind of engagement in the period: how many, and the distinct participants of each sector."""

    kind: str
    label: str
    engagements: int
    participants: int
    by_sector: dict[str, int]
    sector_cells: list[int] = field(default_factory=list)  # by_sector in the report's sector order


@dataclass(frozen=True)
class Resources:
    """Money that reached the subject's regions in the period's fiscal years, and how it was spent."""

    applies: bool  # a country, or an initiative that names regions; never a coalition
    years: list[int]  # the fiscal years the period touches
    scope: str = "country"
    transfers: planning_figures.TransferTable | None = None
    by_objective: list[planning_figures.ObjectiveExecution] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.transfers and self.transfers.rows) or bool(self.by_objective)

    @property
    def absent(self) -> str:
        """Why the section has no figures, or "" when it has some."""
        if self.has_data:
            return ""
        if self.scope == "coalition":
            return str(
                _(
                    "Resource execution is reported for a country or an initiative, whose regions receive and "
                    "spend public money; a coalition's is its country's."
                )
            )
        if not self.applies:
            return str(_("This initiative names no regions, so there is no resource execution to report."))
        return str(
            _("No resource flows or budget execution are recorded for these regions in the period's fiscal years.")
        )

    @property
    def transfers_total(self) -> Decimal:
        return sum((row.total for row in self.transfers.rows), Decimal(0)) if self.transfers else Decimal(0)

    @property
    def transfer_source_totals(self) -> list[Decimal]:
        if not self.transfers:
            return []
        return [sum(column, Decimal(0)) for column in zip(*(row.amounts for row in self.transfers.rows), strict=True)]

    @property
    def allocated(self) -> Decimal:
        return sum((row.allocated for row in self.by_objective), Decimal(0))

    @property
    def executed(self) -> Decimal:
        return sum((row.executed for row in self.by_objective), Decimal(0))

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.allocated, self.executed)


def _fiscal_years(period: Period) -> list[int]:
    return list(range(period.start.year, period.end.year + 1))


def _flows_in(period: Period) -> Q:
    """Yearly transfers of the period's fiscal years, and monthly ones of its months."""
    start, end = period.start, period.end
    condition = Q(fiscal_year__in=_fiscal_years(period), month__isnull=True)
    for year in _fiscal_years(period):
        first = start.month if year == start.year else 1
        last = end.month if year == end.year else 12
        condition |= Q(fiscal_year=year, month__gte=first, month__lte=last)
    return condition


def resources(*, scope: str, subject, period: Period, user) -> Resources:
    """The resource section: `planning.figures` over the subject's regions (six queries at most)."""
    years = _fiscal_years(period)
    if scope == "country":
        where = Q(region__country=subject)
    elif scope == "initiative":
        regions = list(subject.regions.values_list("pk", flat=True))
        if not regions:
            return Resources(applies=False, years=years, scope=scope)
        where = Q(region__in=regions)
    else:
        return Resources(applies=False, years=years, scope=scope)
    flows = ResourceFlow.objects.visible_to(user).filter(where).filter(_flows_in(period))
    executions = BudgetExecution.objects.visible_to(user).filter(where, fiscal_year__in=years)
    return Resources(
        applies=True,
        years=years,
        scope=scope,
        transfers=planning_figures.transfers_by_year(flows),
        by_objective=planning_figures.execution_by_objective(executions),
        currencies=planning_figures.region_currencies(flows, executions),
    )


@dataclass
class Report:
    """A report's figures; a report made for one section of the page (`section()`) holds only that
    section's, the others left empty."""

    scope: str
    subject: object  # the Coalition, Initiative or Country
    period: Period
    rollup: Rollup | None = None
    kinds: list[KindRow] = field(default_factory=list)
    sectors: list[tuple[str, str]] = field(default_factory=list)  # (value, label) of the sectors that took part
    commitments: list[Commitment] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[LearningNote] = field(default_factory=list)
    moves: Sequence[Move] = field(default_factory=list)  # a section's page of them is a `Moved`
    #: The page of the coalitions (summary) or of the moves a section shows; the workbook's report shows all.
    page: Page | None = None
    #: What a section's kept drawing is found by instead of the values it shows (`section_key`).
    kept_as: tuple | None = None
    indicators: list[Indicator] = field(default_factory=list)
    resources: Resources | None = None

    @property
    def title(self) -> str:
        return str(getattr(self.subject, "display_name", None) or self.subject)

    @property
    def key(self) -> str:
        """The subject as the report's address names it: a country by its code, the others by id."""
        return self.subject.code if self.scope == "country" else str(self.subject.pk)

    @property
    def sector_totals(self) -> dict[str, int]:
        return {value: sum(row.by_sector.get(value, 0) for row in self.kinds) for value, _label in self.sectors}

    @property
    def indicator_rows(self) -> list[tuple[Indicator, object]]:
        """Each indicator with its progress as it stood at the period's end."""
        return [(indicator, indicator.progress(today=self.period.end)) for indicator in self.indicators]

    @property
    def sector_total_cells(self) -> list[int]:
        return list(self.sector_totals.values())

    @property
    def engagements_total(self) -> int:
        return sum(row.engagements for row in self.kinds)


def report_subject(*, scope: str, key: str, user):
    """The coalition, initiative or country the report is about, or a 404 (unknown scope, out of sight)."""
    if scope == "country":
        return get_visible_or_404(Country.objects.all(), user, code=key.upper())
    pk = parse_id(key)
    if scope not in SCOPES or pk is None:
        raise Http404
    model = Coalition if scope == "coalition" else Initiative
    return get_visible_or_404(model.objects.all(), user, pk=pk)


def _coalitions(scope: str, subject, user) -> list[Coalition]:
    """The roll-up's coalitions for the subject: the same call the roll-up pages make."""
    if scope == "coalition":
        return coalition_rollup_coalitions(subject, user)
    if scope == "initiative":
        return coalitions_of(user, initiative=subject)
    return coalitions_of(user, initiative__country=subject)


def _in_period(period: Period) -> dict:
    return {"created_at__date__gte": period.start, "created_at__date__lte": period.end}


def _kinds(ids: list[int], period: Period) -> tuple[list[KindRow], list[tuple[str, str]]]:
    """The engagements of the coalitions in the period by kind, with their distinct participants by
    sector (two queries). An actor has one sector, so a kind's distinct participants are the sum of
    its sectors' distinct participants: no query of their own."""
    engagements = Engagement.objects.filter(
        coalition_id__in=ids, occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    counts = dict(engagements.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    # Joined to the engagements once, for their kind, as the roll-up counts participants (not through
    # a subquery of their ids, which joins them twice).
    participations = Engagement.participants.through.objects.filter(
        engagement__coalition_id__in=ids,
        engagement__occurred_on__gte=period.start,
        engagement__occurred_on__lte=period.end,
    )
    by_sector: dict[str, dict[str, int]] = {}
    for kind, sector, n in (
        participations.order_by()
        .values("engagement__kind", "stakeholder__sector")
        .annotate(n=Count("stakeholder_id", distinct=True))
        .values_list("engagement__kind", "stakeholder__sector", "n")
    ):
        by_sector.setdefault(kind, {})[sector] = n
    kinds = [
        KindRow(
            kind=kind,
            label=str(label),
            engagements=counts[kind],
            participants=sum(by_sector.get(kind, {}).values()),
            by_sector=by_sector.get(kind, {}),
        )
        for kind, label in Engagement.Kind.choices
        if kind in counts
    ]
    seen = {sector for row in kinds for sector in row.by_sector}
    sectors = [(value, str(label)) for value, label in Stakeholder.Sector.choices if value in seen]
    for row in kinds:
        row.sector_cells.extend(row.by_sector.get(value, 0) for value, _label in sectors)
    return kinds, sectors


#: The columns of a commitment, its coalition and its owner that the report shows.
COMMITMENT_COLUMNS = (
    "coalition_id",
    "owner_id",
    "description",
    "due_on",
    "status",
    "created_at",
    "coalition__name",
    "owner__name",
    "owner__acronym",
)


def _commitments(ids: list[int], period: Period) -> list[Commitment]:
    due = Q(due_on__gte=period.start, due_on__lte=period.end) & ~Q(status=Commitment.Status.DROPPED)
    return list(
        Commitment.objects.filter(coalition_id__in=ids)
        .filter(Q(**_in_period(period)) | due)
        .select_related("coalition", "owner")
        # What the page and the workbook show of a country's thousands, not the actors' descriptions.
        .only(*COMMITMENT_COLUMNS)
        .order_by("due_on", "pk")
    )


def _outcomes(ids: list[int], period: Period) -> list[Outcome]:
    return list(
        Outcome.objects.filter(coalition_id__in=ids, observed_on__gte=period.start, observed_on__lte=period.end)
        .select_related("coalition")
        .order_by("observed_on", "pk")
    )


def _notes(ids: list[int], period: Period) -> list[LearningNote]:
    return list(
        LearningNote.objects.filter(coalition_id__in=ids, **_in_period(period))
        .select_related("coalition", "author")
        .order_by("created_at", "pk")
    )


def _moves(scope: str, subject, coalitions: list[Coalition] | None, period: Period, user) -> Moved:
    """The assessments that moved in the period: of a coalition's report, in its coalitions' initiatives."""
    if scope == "country":
        where = {"initiative__country": subject}
    elif scope == "initiative":
        where = {"initiative": subject}
    else:
        where = {"initiative_id__in": sorted({coalition.initiative_id for coalition in coalitions})}
    return moved_where(user=user, as_of=period.end, since=period.start, **where)


#: Moves a section shows on a page, furthest first: a country's year has thousands.
MOVES_PAGE_SIZE = 50


def _summary_page(scope: str, subject, user, period: Period, number) -> tuple[Rollup, Page]:
    """A page of the roll-up's coalitions side by side, with the total of them all (`rollup_page`,
    as the roll-up pages show it): the same coalitions, in the same order, as `_coalitions`."""
    if scope == "coalition":
        # The coalition first, then its linked local coalitions: a few, read whole.
        coalitions = coalition_rollup_coalitions(subject, user)
        page = Paginator(coalitions, ROLLUP_PAGE_SIZE).get_page(number)
        return rollup(list(page.object_list), period, total_of=[c.pk for c in coalitions]), page
    where = {"initiative": subject} if scope == "initiative" else {"initiative__country": subject}
    return rollup_page(Coalition.objects.visible_to(user).filter(**where), period, number)


def _indicators(scope: str, subject, ids: list[int] | None, period: Period, user) -> list[Indicator]:
    if scope == "country":
        owners = (
            Q(objective__plan__country=subject)
            | Q(initiative__country=subject)
            | Q(coalition__initiative__country=subject)
        )
    elif scope == "initiative":
        owners = Q(initiative=subject) | Q(coalition_id__in=ids)
    else:
        owners = Q(coalition_id__in=ids)
    return list(
        Indicator.objects.visible_to(user)
        .filter(owners)
        .select_related("objective", "initiative", "coalition")
        .prefetch_related(
            # Progress as it stood at the period's end: only the values measured by then.
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(period_end__lte=period.end).order_by("-period_end", "-pk"),
            )
        )
    )


def report(*, scope: str, subject, period: Period, user, progress: Callable[[int], None] | None = None) -> Report:
    """Everything the report shows for the subject in the period (a constant number of queries).

    `progress`, when given, is told the percentage gathered after each section (a background run
    shows it)."""
    done = progress or (lambda percent: None)
    coalitions = _coalitions(scope, subject, user)
    ids = [coalition.pk for coalition in coalitions]
    kinds, sectors = _kinds(ids, period)
    done(20)
    commitments = _commitments(ids, period)
    done(30)
    outcomes = _outcomes(ids, period)
    done(40)
    notes = _notes(ids, period)
    # Read when listed: the workbook reads the few columns it shows of each of a country's thousands.
    moved = _moves(scope, subject, coalitions, period, user)
    done(60)
    indicators = _indicators(scope, subject, ids, period, user)
    done(70)
    figures = rollup(coalitions, period)
    done(85)
    money = resources(scope=scope, subject=subject, period=period, user=user)
    done(100)
    return Report(
        scope=scope,
        subject=subject,
        period=period,
        rollup=figures,
        kinds=kinds,
        sectors=sectors,
        commitments=commitments,
        outcomes=outcomes,
        notes=notes,
        moves=moved,
        indicators=indicators,
        resources=money,
    )


def section(*, name: str, scope: str, subject, period: Period, user, page=None) -> Report:
    """A report holding only the figures of section `name`, as `report()` gathers them: the page
    loads its sections one by one, each from its own request, so none waits for all the others.

    Of the summary and the moves, it holds page `page` (a number, or the first): the coalitions or
    the moves of that page, `report()`'s in the same order, and the page itself."""
    made = Report(scope=scope, subject=subject, period=period)
    needs_coalitions = name in ("engagements", "commitments", "outcomes", "notes") or (
        scope != "country" and name in ("moves", "indicators")
    )
    coalitions = _coalitions(scope, subject, user) if needs_coalitions else None
    ids = [coalition.pk for coalition in coalitions] if coalitions is not None else None
    if name in ("engagements", "commitments"):
        # The totals of the engagements' participants and of the commitments are the roll-up's.
        made.rollup = rollup(coalitions, period)
    if name == "summary":
        # Read when drawn: a kept drawing reads none, its key being the versions of the tables the
        # figures count and the coalitions' names come from (`section_key`), as of today (overdue).
        summary = SimpleLazyObject(lambda: _summary_page(scope, subject, user, period, page))
        made.rollup, made.page = SimpleLazyObject(lambda: summary[0]), SimpleLazyObject(lambda: summary[1])
        seen_by = "staff" if is_staff_member(user) else f"user:{user.pk}"
        made.kept_as = (table_version(*COUNTED_MODELS, Initiative), seen_by, timezone.localdate(), page)
    elif name == "engagements":
        made.kinds, made.sectors = _kinds(ids, period)
    elif name == "commitments":
        made.commitments = _commitments(ids, period)
    elif name == "outcomes":
        made.outcomes = _outcomes(ids, period)
    elif name == "notes":
        made.notes = _notes(ids, period)
    elif name == "moves":
        # The page's moves are read when it is drawn: a kept drawing reads none (`section_key`).
        made.page = Paginator(_moves(scope, subject, coalitions, period, user), MOVES_PAGE_SIZE).get_page(page)
        made.moves = made.page.object_list
    elif name == "indicators":
        made.indicators = _indicators(scope, subject, ids, period, user)
    elif name == "resources":
        made.resources = resources(scope=scope, subject=subject, period=period, user=user)
    else:
        raise Http404
    return made


def _rows(name: str, made: Report) -> list | None:
    """Every value section `name` shows, row by row (None: a section too small to keep)."""
    if name == "commitments":
        rows = [(row_values(c), row_values(c.coalition), row_values(c.owner)) for c in made.commitments]
        return [made.rollup.total, *rows]
    if name == "outcomes":
        return [(row_values(o), row_values(o.coalition)) for o in made.outcomes]
    if name == "moves":
        # Which moves, and the versions of every table their rows are drawn from: found without
        # reading the rows, which costs more than drawing them from the cache.
        return [table_version(Assessment, Stakeholder, Initiative, get_user_model()), made.moves.ids]
    return None


def section_key(name: str, made: Report) -> str | None:
    """The cache key of a long section's rendering (`section()`'s report): a key of every value it
    shows (`core.versions.rendering_key`, with the language, time zone and code), so a change to
    any of them is another key and nothing needs invalidating. Rendering a country's thousands of
    rows costs far more than reading them; None for the short sections, rendered each time. A
    section that says `kept_as` (the summary, whose figures are read only when drawn) is found by
    that instead: the versions of the tables it is drawn from."""
    if made.kept_as is not None:
        return rendering_key("trends/report", name, made.scope, made.key, made.title, made.period, made.kept_as)
    rows = _rows(name, made)
    if rows is None:
        return None
    # The page's number and the count of what is paged are shown (with links to the other pages).
    paged = made.page and (made.page.number, made.page.paginator.count)
    return rendering_key("trends/report", name, made.scope, made.key, made.title, made.period, paged, rows)


#: How long a section's drawing is kept: for ever (a day) when its key holds every value it shows;
#: `KEPT_TIMEOUT` when it holds the versions of the tables (the summary's and the moves').
KEPT_SECONDS = 24 * 60 * 60


def section_timeout(name: str) -> int:
    return KEPT_TIMEOUT if name in ("summary", "moves") else KEPT_SECONDS


#: The sections, in the order the page and the workbook show them, with their titles.
SECTIONS = (
    ("summary", _("Summary")),
    ("engagements", _("Engagements")),
    ("commitments", _("Commitments")),
    ("outcomes", _("Outcomes")),
    ("notes", _("Learning notes")),
    ("moves", _("Assessments that moved")),
    ("indicators", _("Indicators")),
    ("resources", _("Resource execution")),
)
