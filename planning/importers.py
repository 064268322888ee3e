"""CSV import of resource flows and budget execution: all or nothing, idempotent, every bad row reported.

The public transfer and budget portals publish CSV; staff save a sheet in the columns below
(docs/resources-import.md). A file is read completely and every row checked before anything is
written; one bad row means nothing is imported. Rows are matched on their natural key, so
importing the same file twice creates and changes nothing.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importers import ImportReport, RowError, csv_rows, header_problem, row_problems
from core.parsing import is_decimal, is_integer
from core.validation import validate_row
from countries.models import Region

from .models import BudgetExecution, DevelopmentPlan, FundingSource, PlanObjective, ResourceFlow

FLOW_COLUMNS = ("region_code", "fiscal_year", "month", "source", "amount", "currency", "is_sample", "note")
FLOW_REQUIRED = ("region_code", "fiscal_year", "source", "amount")
EXECUTION_COLUMNS = (
    "region_code",
    "fiscal_year",
    "project_code",
    "project_name",
    "funding_source",
    "allocated",
    "executed",
    "currency",
    "plan_objective",
    "is_sample",
)
EXECUTION_REQUIRED = (
    "region_code",
    "fiscal_year",
    "project_code",
    "project_name",
    "funding_source",
    "allocated",
    "executed",
)

KINDS = {
    "flows": gettext_lazy("Resource flows (transfers)"),
    "execution": gettext_lazy("Budget execution"),
}
MAX_ROWS = 50_000
TRUE_VALUES = {"1", "true", "yes", "si", "sí", "y"}
FALSE_VALUES = {"", "0", "false", "no", "n"}


class _RollBack(Exception):
    """Raised inside the transaction of a dry run so nothing it wrote survives."""


class RowInvalid(Exception):
    pass


def _text(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _year(row: dict, column: str = "fiscal_year") -> int:
    value = _text(row, column)
    if not is_integer(value) or not 1990 <= int(value) <= 2100:
        raise RowInvalid(
            _("%(column)s must be a year between 1990 and 2100, not “%(value)s”.") % {"column": column, "value": value}
        )
    return int(value)


def _month(row: dict) -> int | None:
    value = _text(row, "month")
    if not value:
        return None
    if not is_integer(value):
        raise RowInvalid(_("month must be a number, not “%(value)s”.") % {"value": value})
    return int(value)


def _money(row: dict, column: str) -> Decimal:
    value = _text(row, column)
    try:
        if not is_decimal(value):  # Decimal() also reads exponents and other scripts' digits
            raise InvalidOperation
        amount = Decimal(value)
    except InvalidOperation:
        raise RowInvalid(
            _("%(column)s must be a number with a dot for decimals and no thousands separator, not “%(value)s”.")
            % {"column": column, "value": value}
        ) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or abs(amount) >= Decimal("1e14"):
        raise RowInvalid(_("%(column)s has more than two decimals or is too large.") % {"column": column})
    return amount.quantize(Decimal("0.01"))


def _source(row: dict, column: str) -> str:
    value = _text(row, column).lower()
    if value not in FundingSource.values:
        raise RowInvalid(
            _("%(column)s must be one of %(choices)s, not “%(value)s”.")
            % {"column": column, "choices": ", ".join(FundingSource.values), "value": value}
        )
    return value


def _currency(row: dict) -> str:
    return _text(row, "currency").upper() or "PEN"


def _flag(row: dict) -> bool:
    value = _text(row, "is_sample").lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise RowInvalid(_("is_sample must be true or false, not “%(value)s”.") % {"value": value})


class _Importer:
    kind = ""
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    model = None
    compared: tuple[str, ...] = ()

    def __init__(self, *, allowed_country_ids: frozenset[int] | None) -> None:
        # None means every country (the management command); a set limits staff to their teams.
        self.allowed_country_ids = allowed_country_ids
        self.regions = {region.code.upper(): region for region in Region.objects.exclude(code=None)}
        self.regions_by_id = {region.pk: region for region in self.regions.values()}

    def region(self, row: dict) -> Region:
        code = _text(row, "region_code").upper()
        region = self.regions.get(code)
        if region is None:
            raise RowInvalid(_("region_code “%(value)s” is not a known ISO 3166-2 region code.") % {"value": code})
        if self.allowed_country_ids is not None and region.country_id not in self.allowed_country_ids:
            raise RowInvalid(
                _("You may not import data for %(region)s: it is outside your country teams.") % {"region": region}
            )
        return region

    def parse(self, row: dict) -> tuple[tuple, dict]:
        """Return the row's natural key and the other field values, or raise RowInvalid."""
        raise NotImplementedError

    def existing(self, keys: set[tuple]) -> dict[tuple, object]:
        raise NotImplementedError

    def prepare(self, row) -> None:
        """Give the row the related rows already loaded, so its rules read them without a query."""
        row.region = self.regions_by_id[row.region_id]

    def run(self, text: str, *, dry_run: bool) -> ImportReport:
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        reader = csv.DictReader(io.StringIO(text))
        try:
            header = [name.strip().lower() for name in (reader.fieldnames or [])]
        except csv.Error as error:
            report.errors.append(RowError(1, header_problem(error)))
            return report
        missing = [column for column in self.required if column not in header]
        if missing:
            report.errors.append(RowError(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
            return report
        unknown = [column for column in header if column and column not in self.columns]
        if unknown:
            report.errors.append(RowError(1, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}))
            return report
        reader.fieldnames = header
        parsed: dict[tuple, tuple[int, dict]] = {}
        for row in csv_rows(reader, lambda at, message: report.errors.append(RowError(at, message))):
            line = reader.line_num
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.errors.append(RowError(line, _("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS}))
                break
            if None in row:
                report.errors.append(RowError(line, _("The row has more values than the header has columns.")))
                continue
            problems = row_problems(row.items())
            if problems:
                report.errors.append(RowError(line, "; ".join(problems)))
                continue
            try:
                empty = [column for column in self.required if not _text(row, column)]
                if empty:
                    raise RowInvalid(_("Empty required values: %(columns)s.") % {"columns": ", ".join(empty)})
                key, values = self.parse(row)
            except RowInvalid as error:
                report.errors.append(RowError(line, str(error)))
                continue
            if key in parsed:
                report.errors.append(
                    RowError(line, _("Duplicate of line %(line)s (same natural key).") % {"line": parsed[key][0]})
                )
                continue
            parsed[key] = (line, values)
        if report.rows == 0 and not report.errors:
            report.errors.append(RowError(1, _("The file has no data rows.")))
        to_create, to_update = self.changes(parsed, report)
        if report.errors:
            report.errors.sort(key=lambda error: error.line)
            report.unchanged = 0
            return report
        try:
            with transaction.atomic():
                self.model.objects.bulk_create(to_create, batch_size=1000)
                if to_update:
                    self.model.objects.bulk_update(to_update, [*self.compared, "updated_at"], batch_size=1000)
                report.created, report.updated = len(to_create), len(to_update)
                if dry_run:
                    raise _RollBack
        except _RollBack:
            pass
        except IntegrityError as error:
            # Every rule is checked row by row above; this is a safety net, never a half import.
            report.created = report.updated = report.unchanged = 0
            report.errors.append(RowError(1, _("The database refused the file: %(error)s") % {"error": error}))
        return report

    def changes(self, parsed: dict[tuple, tuple[int, dict]], report: ImportReport) -> tuple[list, list]:
        """The rows to create and to change, each validated by the model's rules (`validate_row`: its fields,
        `clean()` and constraints), a bad one reported with its line and the rule's own message."""
        existing = self.existing(set(parsed))
        now = timezone.now()
        to_create, to_update = [], []
        for key, (line, values) in parsed.items():
            row = existing.get(key)
            if row is not None and all(getattr(row, name) == values[name] for name in self.compared):
                report.unchanged += 1
                continue
            if row is None:
                row = self.model(**values)
            else:
                for name in self.compared:
                    setattr(row, name, values[name])
                row.updated_at = now  # bulk_update does not touch auto_now fields
            self.prepare(row)
            try:
                validate_row(row, resolved=("region", "objective"))
            except ValidationError as error:
                report.errors.append(RowError(line, " ".join(error.messages)))
                continue
            (to_create if row.pk is None else to_update).append(row)
        return to_create, to_update


class FlowImporter(_Importer):
    kind = "flows"
    columns = FLOW_COLUMNS
    required = FLOW_REQUIRED
    model = ResourceFlow
    compared = ("amount", "currency", "is_sample", "note")

    def parse(self, row: dict) -> tuple[tuple, dict]:
        region = self.region(row)
        values = {
            "region_id": region.pk,
            "fiscal_year": _year(row),
            "month": _month(row),
            "source": _source(row, "source"),
            "amount": _money(row, "amount"),
            "currency": _currency(row),
            "is_sample": _flag(row),
            "note": _text(row, "note")[:250],
        }
        return (region.pk, values["fiscal_year"], values["month"], values["source"]), values

    def existing(self, keys: set[tuple]) -> dict[tuple, ResourceFlow]:
        region_ids = {key[0] for key in keys}
        years = {key[1] for key in keys}
        rows = ResourceFlow.objects.filter(region_id__in=region_ids, fiscal_year__in=years)
        return {(r.region_id, r.fiscal_year, r.month, r.source): r for r in rows}


class ExecutionImporter(_Importer):
    kind = "execution"
    columns = EXECUTION_COLUMNS
    required = EXECUTION_REQUIRED
    model = BudgetExecution
    compared = ("project_name", "objective_id", "allocated", "executed", "currency", "is_sample")

    def __init__(self, *, allowed_country_ids: frozenset[int] | None) -> None:
        super().__init__(allowed_country_ids=allowed_country_ids)
        self.plans = list(DevelopmentPlan.objects.filter(region__isnull=False))
        self.objectives = {(o.plan_id, o.code.upper()): o for o in PlanObjective.objects.select_related("plan")}
        self.objectives_by_id = {objective.pk: objective for objective in self.objectives.values()}

    def prepare(self, row) -> None:
        super().prepare(row)
        row.objective = self.objectives_by_id.get(row.objective_id)

    def objective_id(self, row: dict, region: Region, year: int) -> int | None:
        code = _text(row, "plan_objective").upper()
        if not code:
            return None
        plans = [p for p in self.plans if p.region_id == region.pk and p.start_year <= year <= p.end_year]
        matches = [self.objectives[(p.pk, code)] for p in plans if (p.pk, code) in self.objectives]
        if len(matches) != 1:
            raise RowInvalid(
                _("plan_objective “%(code)s” is not an objective of a plan of %(region)s covering %(year)s.")
                % {"code": code, "region": region, "year": year}
            )
        return matches[0].pk

    def parse(self, row: dict) -> tuple[tuple, dict]:
        region = self.region(row)
        year = _year(row)
        project_code = _text(row, "project_code")[:40]
        values = {
            "region_id": region.pk,
            "fiscal_year": year,
            "project_code": project_code,
            "project_name": _text(row, "project_name")[:300],
            "funding_source": _source(row, "funding_source"),
            "allocated": _money(row, "allocated"),
            "executed": _money(row, "executed"),
            "currency": _currency(row),
            "objective_id": self.objective_id(row, region, year),
            "is_sample": _flag(row),
        }
        return (region.pk, year, project_code, values["funding_source"]), values

    def existing(self, keys: set[tuple]) -> dict[tuple, BudgetExecution]:
        region_ids = {key[0] for key in keys}
        years = {key[1] for key in keys}
        rows = BudgetExecution.objects.filter(region_id__in=region_ids, fiscal_year__in=years)
        return {(r.region_id, r.fiscal_year, r.project_code, r.funding_source): r for r in rows}


IMPORTERS = {"flows": FlowImporter, "execution": ExecutionImporter}


def resources_import(
    *, kind: str, text: str, dry_run: bool, allowed_country_ids: frozenset[int] | None = None
) -> ImportReport:
    """Check every row of a CSV text, then import all of it or nothing (and nothing at all on a dry run)."""
    importer = IMPORTERS[kind](allowed_country_ids=allowed_country_ids)
    return importer.run(text, dry_run=dry_run)
