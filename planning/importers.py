"""Import of resource flows and budget execution: all or nothing, idempotent, every problem reported.

The public transfer and budget portals publish CSV and XLSX; staff save a sheet with the columns
below (docs/resources-import.md), in English or Spanish, as the portals and Excel write them
(`core.importers.read_table`: any common encoding and separator, or a workbook). A file is read
completely and every cell of every row checked before anything is written; one bad row means
nothing is imported. Rows are matched on their `id` when the file has one (an export of this
platform) or else on their natural key, so importing the same file twice changes nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importers import (
    CellInvalid,
    Choices,
    FileUnreadable,
    ImportReport,
    RowChange,
    RowError,
    Table,
    column_aliases,
    decimal,
    decimal_mark_of,
    flag,
    in_languages,
    label_key,
    map_header,
    month,
    read_table,
    row_problems,
    text_within,
)
from core.imports import ImportKind, Profile, Target, register
from core.parsing import is_integer, parse_id
from core.validation import validate_row
from countries.lookup import FULL_CODE_DIGITS, Municipalities, Places, default_currency
from countries.models import Country, Region

from .models import BudgetExecution, DevelopmentPlan, FundingSource, PlanObjective, ResourceFlow

#: The columns of each kind of file and the model field each stands for (its verbose name in either
#: language is accepted as the header too).
FLOW_FIELDS = {
    "region_code": "region",
    "municipality": "municipality",
    "fiscal_year": "fiscal_year",
    "month": "month",
    "source": "source",
    "amount": "amount",
    "currency": "currency",
    "is_sample": "is_sample",
    "note": "note",
}
EXECUTION_FIELDS = {
    "region_code": "region",
    "fiscal_year": "fiscal_year",
    "project_code": "project_code",
    "project_name": "project_name",
    "funding_source": "funding_source",
    "allocated": "allocated",
    "executed": "executed",
    "currency": "currency",
    "plan_objective": "objective",
    "is_sample": "is_sample",
}
FLOW_COLUMNS = tuple(FLOW_FIELDS)
FLOW_REQUIRED = ("region_code", "fiscal_year", "source", "amount")
EXECUTION_COLUMNS = tuple(EXECUTION_FIELDS)
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
MAX_AMOUNT = Decimal("1e14")


def header_aliases(model, fields: dict[str, str]) -> dict[str, str]:
    """The header names a file of `model` may use for each column (label_key → column)."""
    aliases = column_aliases(model, {"id": None, **fields})
    # The portals name the region column by the kind of region ("Departamento", "Region").
    for kind in (Region.Kind.DEPARTMENT, Region.Kind.REGION):
        for name in in_languages(kind.label):
            aliases.setdefault(label_key(name), "region_code")
    return aliases


class _RollBack(Exception):
    """Raised inside the transaction of a dry run so nothing it wrote survives."""


def _year(text: str) -> int:
    value = text.strip()
    if not is_integer(value) or not 1990 <= int(value) <= 2100:
        raise CellInvalid(_("“%(value)s” is not a year between 1990 and 2100.") % {"value": value})
    return int(value)


def _currency(text: str) -> str:
    return text.strip().upper()  # the model's rule names what a currency code is


class _Importer:
    kind = ""
    fields: dict[str, str] = {}
    required: tuple[str, ...] = ()
    money: tuple[str, ...] = ()
    model = None

    def __init__(self, *, allowed_country_ids: frozenset[int] | None, country: str = "") -> None:
        # None means every country (the management command); a set limits staff to their teams.
        self.allowed_country_ids = allowed_country_ids
        regions = list(Region.objects.select_related("country"))
        countries = list(Country.objects.all())
        self.places = Places(countries, regions, allowed_country_ids=allowed_country_ids)
        # A profile of one country's portal reads its codes as that country's ("20" is Cesar, not Piura).
        self.country = next((c for c in countries if c.code == country), None) if country else None
        self.regions_by_id = {region.pk: region for region in regions}
        self.sources = Choices(FundingSource.choices)
        self.aliases = header_aliases(self.model, self.fields)
        self.limits = {
            column: self.model._meta.get_field(name).max_length
            for column, name in self.fields.items()
            if getattr(self.model._meta.get_field(name), "max_length", None)
            and not self.model._meta.get_field(name).choices
        }

    def region(self, text: str) -> Region:
        region = self.places.region(text, country=self.country)
        if self.allowed_country_ids is not None and region.country_id not in self.allowed_country_ids:
            raise CellInvalid(
                _("you may not import data for %(region)s: it is outside your country teams.") % {"region": region}
            )
        return region

    def money_value(self, text: str) -> Decimal:
        amount = decimal(text, decimal_mark=self.decimal_mark)  # its sign is the model's rule
        if amount != amount.quantize(Decimal("0.01")):
            raise CellInvalid(_("“%(value)s” has more than two decimals.") % {"value": text})
        if amount >= MAX_AMOUNT:
            raise CellInvalid(_("“%(value)s” is too large (at most 14 digits before the decimals).") % {"value": text})
        return amount.quantize(Decimal("0.01"))

    def parse(self, cell) -> tuple[tuple, dict]:
        """Return the row's natural key and its field values; `cell(column, reader)` reads one cell,
        noting its problem (and answering None) when it cannot."""
        raise NotImplementedError

    def existing(self, keys: set[tuple], ids: set[int]) -> tuple[dict[tuple, object], dict[int, object]]:
        raise NotImplementedError

    def natural_key(self, row) -> tuple:
        raise NotImplementedError

    def prepare(self, row, final: dict) -> None:
        """Give the row the related rows already loaded, so its rules read them without a query."""
        row.region = self.regions_by_id[row.region_id]

    def run(self, file: bytes | str, *, dry_run: bool) -> ImportReport:
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        try:
            table = read_table(file)
        except FileUnreadable as error:
            report.errors.append(RowError(1, error.message))
            return report
        report.encoding, report.separator = table.encoding, table.separator
        positions, problems = map_header(table.header, self.aliases, self.required)
        report.errors.extend(RowError(1, problem) for problem in problems)
        if any(column not in positions for column in self.required):
            return report
        names = {column: table.column_label(position) for column, position in positions.items()}
        self.positions, self.names = positions, names
        rows = []
        for line, cells in table.rows:
            if len(rows) >= MAX_ROWS:
                report.errors.append(RowError(line, _("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS}))
                break
            rows.append((line, cells))
        report.errors.extend(table.errors)
        report.rows = len(rows)
        money_cells = (cells[positions[c]] for _line, cells in rows for c in self.money if positions[c] < len(cells))
        if table.decimal_mark_fixed:
            self.decimal_mark = report.decimal_mark = table.decimal_mark
        else:
            self.decimal_mark = report.decimal_mark = decimal_mark_of(money_cells, default=table.decimal_mark)

        parsed: dict[tuple, tuple[int, dict, int | None]] = {}
        lines_by_id: dict[int, int] = {}
        for line, cells in rows:
            if len(cells) > len(table.header) and any(cell.strip() for cell in cells[len(table.header) :]):
                report.errors.append(RowError(line, _("The row has more values than the header has columns.")))
                continue
            values_by_column = {
                column: (cells[position] if position < len(cells) else "") for column, position in positions.items()
            }
            problems = row_problems((names[column], value) for column, value in values_by_column.items())
            if problems:  # a value with a NUL or a control character is not worth reading further
                report.errors.append(RowError(line, "; ".join(problems)))
                continue
            problems = []

            def cell(column, reader, *, values=values_by_column, problems=problems):
                text = values.get(column, "")
                if not text.strip():
                    if column in self.required:
                        problems.append(_("%(column)s is empty.") % {"column": names[column]})
                    return None
                if column in self.limits:
                    try:
                        text = text_within(text, limit=self.limits[column])
                    except CellInvalid as error:
                        problems.append(f"{names[column]} {error.message}")
                        return None
                try:
                    return reader(text)
                except CellInvalid as error:
                    problems.append(f"{names[column]}: {error.message}")
                    return None

            pk = None
            if values_by_column.get("id", "").strip():
                pk = parse_id(values_by_column["id"].strip())
                if pk is None:
                    problems.append(_("id “%(value)s” is not a row id.") % {"value": values_by_column["id"]})
            key, values = self.parse(cell)
            if problems:
                report.errors.append(RowError(line, " ".join([*problems, *self.rule_problems(values)])))
                continue
            if key in parsed:
                report.errors.append(
                    RowError(line, _("Duplicate of line %(line)s (same natural key).") % {"line": parsed[key][0]})
                )
                continue
            if pk is not None and pk in lines_by_id:
                report.errors.append(
                    RowError(line, _("Duplicate of line %(line)s (same id).") % {"line": lines_by_id[pk]})
                )
                continue
            if pk is not None:
                lines_by_id[pk] = line
            parsed[key] = (line, values, pk)
        if report.rows == 0 and not report.errors:
            report.errors.append(RowError(1, _("The file has no data rows.")))
        to_create, to_update, fields = self.changes(parsed, report)
        if report.errors:
            report.errors.sort(key=lambda error: error.line)
            report.unchanged = 0
            report.changes = []
            return report
        try:
            with transaction.atomic():
                self.model.objects.bulk_create(to_create, batch_size=1000)
                if to_update:
                    self.model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=1000)
                report.created, report.updated = len(to_create), len(to_update)
                if dry_run:
                    raise _RollBack
        except _RollBack:
            pass
        except IntegrityError as error:
            # Every rule is checked row by row above; this is a safety net, never a half import.
            report.created = report.updated = report.unchanged = 0
            report.changes = []
            report.errors.append(RowError(1, _("The database refused the file: %(error)s") % {"error": error}))
        return report

    def changes(self, parsed: dict[tuple, tuple[int, dict, int | None]], report: ImportReport):
        """The rows to create and to change, each validated by the model's rules (`validate_row`: its fields,
        `clean()` and constraints), a bad one reported with its line and the rule's own message."""
        by_key, by_id = self.existing(set(parsed), {pk for _line, _values, pk in parsed.values() if pk})
        now = timezone.now()
        fields = [name for _line, values, _pk in list(parsed.values())[:1] for name in values]
        planned = []
        for key, (line, values, pk) in parsed.items():
            if pk is not None:
                row = by_id.get(pk)
                if row is None:
                    message = _("There is no %(model)s with id %(id)s that you may change.")
                    report.errors.append(RowError(line, message % {"model": self.model._meta.verbose_name, "id": pk}))
                    continue
                other = by_key.get(key)
                if other is not None and other.pk != row.pk:
                    message = _("Another row (id %(id)s) already has this natural key.")
                    report.errors.append(RowError(line, message % {"id": other.pk}))
                    continue
            else:
                row = by_key.get(key)
            planned.append((line, row, values))
        # The rows as they will be once the file is imported (for rules that read other rows).
        final = {self.natural_key(row): row for row in by_key.values()}
        for row in by_id.values():
            final.pop(self.natural_key(row), None)
        for key, (_line, _values, _pk) in parsed.items():
            final[key] = key
        to_create, to_update = [], []
        for line, row, values in planned:
            if row is None:
                row = self.model(**values)
                action, changed = RowChange.NEW, []
            else:
                changed = [name for name in values if getattr(row, name) != values[name]]
                action = RowChange.CHANGED if changed else RowChange.UNCHANGED
                before = {name: getattr(row, name) for name in changed}
                for name in changed:
                    setattr(row, name, values[name])
                changed = [(self.label(name), before[name], values[name]) for name in changed]
            self.prepare(row, final)
            if action != RowChange.UNCHANGED:
                try:
                    validate_row(row, resolved=("region", "municipality", "objective"))
                except ValidationError as error:
                    report.errors.append(RowError(line, " ".join(self.rule_messages(error))))
                    continue
            report.changes.append(RowChange(line=line, action=action, label=str(row), fields=changed))
            if action == RowChange.UNCHANGED:
                report.unchanged += 1
            elif row.pk is None:
                to_create.append(row)
            else:
                row.updated_at = now  # bulk_update does not touch auto_now fields
                to_update.append(row)
        return to_create, to_update, fields

    def rule_problems(self, values: dict) -> list[str]:
        """The model's rules broken by the values of a row that could be read, when others could not
        (so a row with two mistakes shows both): the failed fields' own errors are left out."""
        # A value that could not be read is None, and so is one derived from it (the currency of a
        # region that could not be read): their fields' errors would only repeat the first problem.
        failed = {name.removesuffix("_id") for name, value in values.items() if value is None}
        row = self.model(**{name: value for name, value in values.items() if value is not None})
        try:
            validate_row(row, resolved=("region", "municipality", "objective"))
        except ValidationError as error:
            return self.rule_messages(error, skip=failed)
        return []

    def rule_messages(self, error: ValidationError, *, skip: set[str] = frozenset()) -> list[str]:
        """The messages of the model's rules, each naming the column of its field as the file heads it."""
        if not hasattr(error, "error_dict"):
            return error.messages
        columns = {name.removesuffix("_id"): column for column, name in self.fields.items()}
        found = []
        for field_name, messages in error.message_dict.items():
            if field_name in skip:
                continue
            column = columns.get(field_name)
            if field_name == "__all__":
                found += messages
                continue
            name = self.names.get(column) if column else None
            name = name or self.label(field_name)
            found += [f"{name}: {message}" for message in messages]
        return found

    def label(self, attname: str) -> str:
        name = attname.removesuffix("_id")
        return str(self.model._meta.get_field(name).verbose_name)


class FlowImporter(_Importer):
    kind = "flows"
    fields = FLOW_FIELDS
    required = FLOW_REQUIRED
    money = ("amount",)
    model = ResourceFlow

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.municipalities = Municipalities()

    def parse(self, cell) -> tuple[tuple, dict]:
        region = cell("region_code", self.region)
        currency = cell("currency", _currency)
        # Within the row's region: its official code or its name (countries.lookup.Municipalities).
        municipality = (
            cell("municipality", lambda text: self.municipalities.find(text, region=region)) if region else None
        )
        values = {
            "region_id": region.pk if region else None,
            "municipality_id": municipality.pk if municipality else None,
            "fiscal_year": cell("fiscal_year", _year),
            "month": cell("month", month),
            "source": cell("source", self.sources),
            "amount": cell("amount", self.money_value),
            "currency": currency or (default_currency(region.country.code) if region else None),
            "is_sample": cell("is_sample", flag) or False,
            "note": cell("note", str) or "",
        }
        key = (values["region_id"], values["municipality_id"], values["fiscal_year"], values["month"], values["source"])
        return key, values

    def natural_key(self, row) -> tuple:
        return (row.region_id, row.municipality_id, row.fiscal_year, row.month, row.source)

    def existing(self, keys: set[tuple], ids: set[int]):
        region_ids = {key[0] for key in keys}
        years = {key[2] for key in keys}
        rows = ResourceFlow.objects.filter(region_id__in=region_ids, fiscal_year__in=years)
        by_id = ResourceFlow.objects.filter(pk__in=ids)
        if self.allowed_country_ids is not None:
            by_id = by_id.filter(region__country__in=self.allowed_country_ids)
        return {self.natural_key(r): r for r in rows}, {r.pk: r for r in by_id}

    def prepare(self, row, final: dict) -> None:
        super().prepare(row, final)
        if row.municipality_id:
            row.municipality = self.municipalities.by_id[row.municipality_id]
        # The months recorded for this place, year and source once the file is in (ResourceFlow.clean).
        place = (row.region_id, row.municipality_id, row.fiscal_year)
        row.period_months = [
            key[3] for key in final if key[:3] == place and key[4] == row.source and key != self.natural_key(row)
        ]


class ExecutionImporter(_Importer):
    kind = "execution"
    fields = EXECUTION_FIELDS
    required = EXECUTION_REQUIRED
    money = ("allocated", "executed")
    model = BudgetExecution

    def __init__(self, *, allowed_country_ids: frozenset[int] | None, country: str = "") -> None:
        super().__init__(allowed_country_ids=allowed_country_ids, country=country)
        self.plans = list(DevelopmentPlan.objects.filter(region__isnull=False))
        self.objectives = {(o.plan_id, o.code.upper()): o for o in PlanObjective.objects.select_related("plan")}
        self.objectives_by_id = {objective.pk: objective for objective in self.objectives.values()}
        self.limits.pop("plan_objective", None)

    def prepare(self, row, final: dict) -> None:
        super().prepare(row, final)
        row.objective = self.objectives_by_id.get(row.objective_id)

    def objective_id(self, code: str, region: Region | None, year: int | None) -> int | None:
        code = code.strip().upper()
        if not code or region is None or year is None:
            return None
        plans = [p for p in self.plans if p.region_id == region.pk and p.start_year <= year <= p.end_year]
        matches = [self.objectives[(p.pk, code)] for p in plans if (p.pk, code) in self.objectives]
        if len(matches) != 1:
            raise CellInvalid(
                _("“%(code)s” is not an objective of a plan of %(region)s covering %(year)s.")
                % {"code": code, "region": region, "year": year}
            )
        return matches[0].pk

    def parse(self, cell) -> tuple[tuple, dict]:
        region = cell("region_code", self.region)
        year = cell("fiscal_year", _year)
        currency = cell("currency", _currency)
        values = {
            "region_id": region.pk if region else None,
            "fiscal_year": year,
            "project_code": cell("project_code", str),
            "project_name": cell("project_name", str),
            "funding_source": cell("funding_source", self.sources),
            "allocated": cell("allocated", self.money_value),
            "executed": cell("executed", self.money_value),
            "currency": currency or (default_currency(region.country.code) if region else None),
            "objective_id": cell("plan_objective", lambda code: self.objective_id(code, region, year)),
            "is_sample": cell("is_sample", flag) or False,
        }
        return (values["region_id"], year, values["project_code"], values["funding_source"]), values

    def natural_key(self, row) -> tuple:
        return (row.region_id, row.fiscal_year, row.project_code, row.funding_source)

    def existing(self, keys: set[tuple], ids: set[int]):
        region_ids = {key[0] for key in keys}
        years = {key[1] for key in keys}
        rows = BudgetExecution.objects.filter(region_id__in=region_ids, fiscal_year__in=years)
        by_id = BudgetExecution.objects.filter(pk__in=ids)
        if self.allowed_country_ids is not None:
            by_id = by_id.filter(region__country__in=self.allowed_country_ids)
        return {self.natural_key(r): r for r in rows}, {r.pk: r for r in by_id}


IMPORTERS = {"flows": FlowImporter, "execution": ExecutionImporter}


def resources_import(
    *,
    kind: str,
    file: bytes | str | Table,
    dry_run: bool,
    allowed_country_ids: frozenset[int] | None = None,
    country: str = "",
) -> ImportReport:
    """Check every row of a CSV or XLSX file, then import all of it or nothing (nothing at all on a dry run).
    `country` (an ISO code) reads the file's regions as that country's."""
    importer = IMPORTERS[kind](allowed_country_ids=allowed_country_ids, country=country)
    return importer.run(file, dry_run=dry_run)


# The kinds on the import page and in `import_data`, and the layouts the public portals publish.


def _allowed(user) -> frozenset[int] | None:
    return None if user is None or user.is_admin else user.team_country_ids


def _run(kind: str):
    def run(*, file, user=None, dry_run: bool, country: str = "") -> ImportReport:
        allowed = _allowed(user)
        return resources_import(kind=kind, file=file, dry_run=dry_run, allowed_country_ids=allowed, country=country)

    return run


def department_of_code(code: str) -> dict[str, str]:
    """The department of a district's or municipality's official code (ubigeo 180301 is 18 Moquegua,
    DANE 44847 is 44 La Guajira), as the full code of the department ("180000", "44000"), which names
    it in one country only; and, for Colombia's and Peru's codes, the municipality or district itself,
    so a portal's file per district is recorded per district (a department's own code gives only the
    department). A Philippine code gives only its region: a municipality lies in a province there."""
    value = code.strip()
    if value.isdigit():
        for digits in sorted({digits for lengths in FULL_CODE_DIGITS.values() for digits in lengths}):
            if len(value) in (digits, digits - 1):
                padded = value.zfill(digits)
                place = {"region_code": padded[:2] + "0" * (digits - 2), "municipality": ""}
                local = padded[2:].rstrip("0")
                if digits in (5, 6) and local:
                    # Peru's provinces are four digits: "180300" is the province of Ilo, 1803.
                    province = digits == 6 and padded[4:] == "00"
                    place["municipality"] = padded[:4] if province else padded
                return place
    return {"region_code": value, "municipality": ""}  # every column it may give, even for an empty cell


def project_of(text: str) -> dict[str, str]:
    """A project as the MEF's Consulta Amigable writes it, "2001621: MEJORAMIENTO DEL ...", read as its
    code and its name."""
    code, colon, name = text.partition(":")
    if not colon:
        return {"project_code": "", "project_name": text.strip()}
    return {"project_code": code.strip(), "project_name": name.strip()}


def _targets(fields: dict[str, str], required: tuple[str, ...], money: tuple[str, ...], model) -> tuple[Target, ...]:
    targets = [Target("id", "id")]
    for column, name in fields.items():
        label = model._meta.get_field(name).verbose_name
        targets.append(Target(column, label, required=column in required, money=column in money))
    targets.append(
        Target(
            "municipality_code",
            gettext_lazy("municipality or district code"),
            derive=department_of_code,
        )
    )
    return tuple(targets)


def _keys(*names: str) -> dict[str, str]:
    return {label_key(name): "" for name in names}


#: What the MEF's transfer query calls a resource, as this platform's sources.
MEF_RESOURCES = {
    label_key(name): source
    for source, names in {
        FundingSource.MINING_CANON: ("Canon minero", "Canon y sobrecanon minero"),
        FundingSource.MINING_ROYALTIES: ("Regalías mineras", "Regalía minera", "Regalias mineras contractuales"),
        FundingSource.OTHER_TRANSFERS: (
            "Canon gasífero",
            "Canon hidroenergético",
            "Canon pesquero",
            "Canon forestal",
            "Canon y sobrecanon petrolero",
            "Sobrecanon petrolero",
            "FOCAM",
            "Fondo de Compensación Municipal",
            "FONCOMUN",
            "Renta de aduanas",
        ),
    }.items()
    for name in names
}
#: The MEF's "rubro" (financing source) codes, as this platform's sources.
MEF_RUBROS = {
    "00": FundingSource.NATIONAL_PROGRAMME,  # Recursos ordinarios
    "07": FundingSource.OTHER_TRANSFERS,  # Fondo de compensación municipal
    "08": FundingSource.OWN_RESOURCES,  # Impuestos municipales
    "09": FundingSource.OWN_RESOURCES,  # Recursos directamente recaudados
    "13": FundingSource.INTERNATIONAL_COOPERATION,  # Donaciones y transferencias
    "18": FundingSource.MINING_CANON,  # Canon y sobrecanon, regalías, renta de aduanas y participaciones
    "19": FundingSource.OTHER_TRANSFERS,  # Recursos por operaciones oficiales de crédito
}

MEF_TRANSFERS = Profile(
    name="pe-mef-transferencias",
    kind="flows",
    country="PE",
    label=gettext_lazy("Peru, MEF: transfers to national, regional and local governments (Transparencia Económica)"),
    mapping={
        label_key("Año"): "fiscal_year",
        label_key("Mes"): "month",
        label_key("Departamento"): "region_code",
        label_key("Ubigeo"): "municipality_code",
        label_key("Tipo de recurso"): "source",
        label_key("Monto Acreditado"): "amount",
        label_key("Acreditado"): "amount",
        **_keys("Nivel de Gobierno", "Provincia", "Distrito", "Municipalidad", "Rubro", "Monto Autorizado"),
        **_keys("Autorizado", "Entidad", "Pliego"),
    },
    fixed={"note": "MEF, Transparencia Económica: transferencias"},
    values={"source": MEF_RESOURCES},
    decimal_mark=",",
    aggregate=True,
    builtin=True,
)
MEF_EXECUTION = Profile(
    name="pe-mef-consulta-amigable",
    kind="execution",
    country="PE",
    label=gettext_lazy("Peru, MEF: budget execution (Consulta Amigable)"),
    mapping={
        label_key("Año"): "fiscal_year",
        label_key("Departamento"): "region_code",
        label_key("Producto/Proyecto"): "project",
        label_key("Proyecto"): "project",
        label_key("Rubro"): "funding_source",
        label_key("PIM"): "allocated",
        label_key("Devengado"): "executed",
        **_keys("Nivel de Gobierno", "Sector", "Pliego", "Ejecutora", "Función", "PIA", "Certificación"),
        **_keys("Compromiso Anual", "Atención de Compromiso Mensual", "Girado", "Avance %", "Avance"),
    },
    values={"funding_source": MEF_RUBROS},
    decimal_mark=".",
    aggregate=True,
    builtin=True,
)
SGR_ROYALTIES = Profile(
    name="co-sgr-datos-abiertos",
    kind="flows",
    country="CO",
    label=gettext_lazy("Colombia, SGR: royalty allocations (datos.gov.co)"),
    mapping={
        label_key("Vigencia"): "fiscal_year",
        label_key("Código DANE Departamento"): "region_code",
        label_key("Código DANE Municipio"): "municipality_code",
        label_key("Valor"): "amount",
        label_key("Asignación"): "amount",
        # Every allocation of the SGR is royalty money, whatever its concept (direct, local, regional):
        # the concepts of a department and year are summed into its royalties.
        **_keys("Bienio", "Departamento", "Municipio", "Concepto", "Fuente", "Entidad", "Beneficiario"),
    },
    fixed={"source": FundingSource.MINING_ROYALTIES, "note": "SGR, datos.gov.co"},
    decimal_mark=".",
    aggregate=True,
    builtin=True,
)

register(
    ImportKind(
        name="flows",
        label=KINDS["flows"],
        targets=_targets(FLOW_FIELDS, FLOW_REQUIRED, ("amount",), ResourceFlow),
        run=_run("flows"),
        aliases=lambda: header_aliases(ResourceFlow, FLOW_FIELDS),
        profiles=(MEF_TRANSFERS, SGR_ROYALTIES),
    )
)
register(
    ImportKind(
        name="execution",
        label=KINDS["execution"],
        targets=(
            *_targets(EXECUTION_FIELDS, EXECUTION_REQUIRED, ("allocated", "executed"), BudgetExecution),
            Target("project", gettext_lazy("project as “code: name”"), derive=project_of),
        ),
        run=_run("execution"),
        aliases=lambda: header_aliases(BudgetExecution, EXECUTION_FIELDS),
        profiles=(MEF_EXECUTION,),
    )
)
