"""Read-side figures for a region's resources page: a fixed number of aggregate queries, whatever the data size."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from countries.models import Municipality, Region

from .models import MINING_SOURCES, BudgetExecution, FundingSource, ResourceFlow, SourceUse, execution_rate

ZERO = Decimal(0)


@dataclass(frozen=True)
class TransferRow:
    year: int
    amounts: list[Decimal]  # in the order of `TransferTable.sources`
    total: Decimal


@dataclass(frozen=True)
class TransferTable:
    sources: list[tuple[str, str]]  # (value, label)
    rows: list[TransferRow]
    has_sample: bool


@dataclass(frozen=True)
class ObjectiveExecution:
    code: str
    title: str
    url: str | None
    allocated: Decimal
    executed: Decimal

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.allocated, self.executed)


@dataclass(frozen=True)
class MiningYear:
    year: int
    use: SourceUse


def transfers_by_year(flows: QuerySet) -> TransferTable:
    """Transfers per fiscal year and source (one query)."""
    totals = flows.values("fiscal_year", "source").annotate(total=Sum("amount")).order_by("fiscal_year", "source")
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in totals:
        by_year[row["fiscal_year"]][row["source"]] = row["total"]
    present = {source for amounts in by_year.values() for source in amounts}
    sources = [(value, str(label)) for value, label in FundingSource.choices if value in present]
    rows = []
    for year in sorted(by_year):
        amounts = [by_year[year].get(value, ZERO) for value, _label in sources]
        rows.append(TransferRow(year=year, amounts=amounts, total=sum(amounts, ZERO)))
    return TransferTable(sources=sources, rows=rows, has_sample=flows.filter(is_sample=True).exists())


@dataclass(frozen=True)
class MunicipalTransferRow:
    municipality: str
    code: str
    year: int
    amounts: list[Decimal]  # in the order of the region's `TransferTable.sources`
    total: Decimal


def transfers_by_municipality(flows: QuerySet, sources: list[tuple[str, str]]) -> list[MunicipalTransferRow]:
    """The transfers that reached the region's municipalities, per municipality, fiscal year and
    source, in the columns of the region's table (one query). Flows without a municipality reached
    the regional government and are not among them."""
    place = ("municipality__name", "municipality__code", "municipality__kind", "fiscal_year")
    totals = (
        flows.filter(municipality__isnull=False)
        .values(*place, "source")
        .annotate(total=Sum("amount"))
        .order_by(*place, "source")
    )
    found: dict[tuple, dict[str, Decimal]] = {}
    for row in totals:
        found.setdefault(tuple(row[field] for field in place), {})[row["source"]] = row["total"]
    rows = []
    for (name, code, kind, year), by_source in found.items():
        amounts = [by_source.get(value, ZERO) for value, _label in sources]
        label = str(Municipality(name=name, kind=kind))  # "Ilo (district)", as everywhere else
        rows.append(
            MunicipalTransferRow(municipality=label, code=code, year=year, amounts=amounts, total=sum(amounts, ZERO))
        )
    return rows


def execution_years(executions: QuerySet) -> list[int]:
    # order_by() first: the model's default ordering would otherwise leak into DISTINCT.
    return sorted(executions.order_by().values_list("fiscal_year", flat=True).distinct(), reverse=True)


def execution_by_objective(executions: QuerySet) -> list[ObjectiveExecution]:
    """Allocated and executed per plan objective, and what served no objective (one query)."""
    totals = (
        executions.values("objective_id", "objective__code", "objective__title")
        .annotate(total_allocated=Sum("allocated"), total_executed=Sum("executed"))
        .order_by("objective__code")
    )
    rows, unlinked = [], None
    for row in totals:
        if row["objective_id"] is None:
            unlinked = ObjectiveExecution(
                "-", _("Not linked to a plan objective"), None, row["total_allocated"], row["total_executed"]
            )
        else:
            rows.append(
                ObjectiveExecution(
                    row["objective__code"],
                    row["objective__title"],
                    reverse("planning:objective_detail", kwargs={"pk": row["objective_id"]}),
                    row["total_allocated"],
                    row["total_executed"],
                )
            )
    return rows + ([unlinked] if unlinked else [])


def mining_revenue_use(flows: QuerySet, executions: QuerySet) -> list[MiningYear]:
    """Per year: mining revenue received, budgeted, spent, and spent on plan objectives (two queries)."""
    transferred = dict(
        flows.filter(source__in=MINING_SOURCES)
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
        .values_list("fiscal_year", "total")
    )
    spent = {
        row["fiscal_year"]: row
        for row in executions.filter(funding_source__in=MINING_SOURCES)
        .values("fiscal_year")
        .annotate(
            total_allocated=Sum("allocated"),
            total_executed=Sum("executed"),
            on_objectives=Sum("executed", filter=Q(objective__isnull=False)),
        )
    }
    years = sorted(set(transferred) | set(spent))
    return [
        MiningYear(
            year,
            SourceUse(
                source=FundingSource.MINING_CANON,
                transferred=transferred.get(year) or ZERO,
                allocated=(spent.get(year) or {}).get("total_allocated") or ZERO,
                executed=(spent.get(year) or {}).get("total_executed") or ZERO,
                executed_on_objectives=(spent.get(year) or {}).get("on_objectives") or ZERO,
            ),
        )
        for year in years
    ]


def region_currencies(flows: QuerySet, executions: QuerySet) -> list[str]:
    return sorted(
        set(flows.order_by().values_list("currency", flat=True).distinct())
        | set(executions.order_by().values_list("currency", flat=True).distinct())
    )


def flows_for(user, region: Region) -> QuerySet:
    return ResourceFlow.objects.visible_to(user).filter(region=region)


def executions_for(user, region: Region) -> QuerySet:
    return BudgetExecution.objects.visible_to(user).filter(region=region)
