"""Import stakeholders from a CSV file: all rows or none, every bad row reported with its line.

Staff map actors in spreadsheets before they reach the platform; this turns such a sheet
into stakeholders. Rules:

- The first line names the columns (any order): `name`, `sector`, `level`, `country` are
  required; `kind`, `acronym`, `regions`, `website`, `description` are optional. Choice
  columns take the stored value (`civil_society`) or the English label ("Civil society
  organisation"), case-insensitively. `country` is an ISO code (CO); `regions` holds ISO
  3166-2 codes of that country separated by `;` (CO-LAG;CO-CES).
- Duplicates are errors, not silent merges: a name that appears twice in the file for the
  same country, or that already exists in that country (case-insensitive), is reported with
  its line. Re-importing the same file therefore imports nothing and says why, instead of
  doubling every actor.
- Any bad row means nothing is imported. Valid files are written in one transaction: with
  COPY on PostgreSQL, `bulk_create` elsewhere (see `_write`).

Each value is checked with the same limits and choices as the model, without a per-row
`full_clean()`, which would cost a query per row and make a 50,000-row file take minutes.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countries.models import Country, Region

from .models import Stakeholder

REQUIRED_COLUMNS = ("name", "sector", "level", "country")
OPTIONAL_COLUMNS = ("kind", "acronym", "regions", "website", "description")
BATCH_SIZE = 5_000


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the line it is on (1 is the header) and what is wrong."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    """What an import did: how many stakeholders it created, or why it created none."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _choice_lookup(choices) -> dict[str, str]:
    """Accept both the stored value and the English label, case-insensitively."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).casefold()] = value
        lookup[str(label).casefold()] = value
    return lookup


def _max_length(field_name: str) -> int:
    return Stakeholder._meta.get_field(field_name).max_length


def stakeholders_import_csv(*, file: bytes | str | Iterable[str], user=None, dry_run: bool = False) -> ImportResult:
    """Validate every row of a stakeholder CSV, then create all of them or none.

    `user`, when given (the admin action), limits the import to the countries the user may
    edit; the management command passes none and may import into any program country.
    `dry_run` validates only.
    """
    try:
        lines = _decode(file)
    except UnicodeDecodeError as error:
        return ImportResult(errors=[RowError(1, _("The file is not UTF-8 text (%(error)s).") % {"error": error})])
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        return ImportResult(errors=[RowError(1, _("The file is empty."))])
    columns = [column.strip().casefold() for column in header]
    errors = _check_header(columns)
    if errors:
        return ImportResult(errors=errors)
    index = {column: position for position, column in enumerate(columns)}

    countries = {c.code: c for c in Country.objects.all()}
    allowed_country_ids = (
        set(Country.objects.editable_by(user).values_list("pk", flat=True)) if user is not None else None
    )
    regions = {
        code: (pk, country_id)
        for code, pk, country_id in Region.objects.exclude(code=None).values_list("code", "pk", "country_id")
    }
    kinds = _choice_lookup(Stakeholder.Kind.choices)
    sectors = _choice_lookup(Stakeholder.Sector.choices)
    levels = _choice_lookup(Stakeholder.Level.choices)
    url_validator = URLValidator()
    limits = {name: _max_length(name) for name in ("name", "acronym", "website")}

    rows: list[tuple] = []  # plain tuples, in WRITE_COLUMNS order: model instances cost time at 50,000 rows
    region_ids: list[list[int]] = []
    lines_by_key: dict[tuple[int, str], int] = {}
    line = read = reader.line_num
    for row in reader:
        # A quoted cell may hold line breaks, so the row starts on the line after the previous row.
        line, read = read + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank lines are harmless, spreadsheets leave them at the end
        if len(row) != len(columns):
            counts = {"expected": len(columns), "found": len(row)}
            errors.append(RowError(line, _("Expected %(expected)d columns, found %(found)d.") % counts))
            continue
        values = {column: row[position].strip() for column, position in index.items()}
        problems = []

        name = values["name"]
        if not name:
            problems.append(_("name is required"))
        elif len(name) > limits["name"]:
            problems.append(_("name is longer than %(limit)d characters") % {"limit": limits["name"]})
        if "\x00" in "".join(values.values()):
            problems.append(_("the row contains a NUL character"))
        kind = kinds.get(values.get("kind", "").casefold()) if values.get("kind") else Stakeholder.Kind.ORGANISATION
        if kind is None:
            problems.append(_("unknown kind %(value)r") % {"value": values["kind"]})
        sector = sectors.get(values["sector"].casefold())
        if sector is None:
            problems.append(_("unknown sector %(value)r") % {"value": values["sector"]})
        level = levels.get(values["level"].casefold())
        if level is None:
            problems.append(_("unknown level %(value)r") % {"value": values["level"]})
        country = countries.get(values["country"].upper())
        if country is None:
            problems.append(_("unknown country %(value)r (use an ISO code such as CO)") % {"value": values["country"]})
        elif allowed_country_ids is not None and country.pk not in allowed_country_ids:
            problems.append(_("you may not add stakeholders in %(country)s") % {"country": country.name})
        acronym = values.get("acronym", "")
        if len(acronym) > limits["acronym"]:
            problems.append(_("acronym is longer than %(limit)d characters") % {"limit": limits["acronym"]})
        website = values.get("website", "")
        if website:
            try:
                if len(website) > limits["website"]:
                    raise ValidationError("too long")
                url_validator(website)
            except ValidationError:
                problems.append(_("website %(value)r is not a valid URL") % {"value": website})
        row_regions = []
        for code in filter(None, (part.strip().upper() for part in values.get("regions", "").split(";"))):
            region = regions.get(code)
            if region is None:
                problems.append(_("unknown region %(value)r") % {"value": code})
            elif country is not None and region[1] != country.pk:
                problems.append(_("region %(value)s is not in %(country)s") % {"value": code, "country": country.name})
            else:
                row_regions.append(region[0])

        if name and country is not None:
            key = (country.pk, name.lower())
            if key in lines_by_key:
                problems.append(
                    _("%(name)r is already on line %(line)d for this country")
                    % {"name": name, "line": lines_by_key[key]}
                )
            else:
                lines_by_key[key] = line

        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        rows.append((kind, name, acronym, sector, level, country.pk, website, values.get("description", "")))
        region_ids.append(row_regions)

    errors.extend(_existing_duplicates(lines_by_key, countries))
    if not rows and not errors:
        errors.append(RowError(line, _("The file has no stakeholders to import.")))
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda error: error.line))
    if dry_run:
        return ImportResult(created=0)
    with transaction.atomic():
        created = _write(rows, region_ids)
    return ImportResult(created=created)


WRITE_COLUMNS = ("kind", "name", "acronym", "sector", "level", "country_id", "website", "description")


def _write(rows: list[tuple], region_ids: list[list[int]]) -> int:
    """Insert the validated rows and their regions; return how many stakeholders were created.

    On PostgreSQL the rows go in with COPY, under ids reserved from the table's sequence in one
    query: `bulk_create` builds a model instance and prepares every value of every row, which
    alone takes longer than the 5 s a 50,000-row import may take. Elsewhere, `bulk_create`.
    """
    table = Stakeholder._meta.db_table
    through = Stakeholder.regions.through
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor, "copy_expert"):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
            now = timezone.now().isoformat()
            _copy(cursor, table, ("id", "created_at", "updated_at", *WRITE_COLUMNS), (
                (pk, now, now, *row) for pk, row in zip(ids, rows, strict=True)
            ))  # fmt: skip
            _copy(
                cursor,
                through._meta.db_table,
                ("stakeholder_id", "region_id"),
                ((pk, region) for pk, regions in zip(ids, region_ids, strict=True) for region in regions),
            )
            return len(ids)
    created = Stakeholder.objects.bulk_create(
        (Stakeholder(**dict(zip(WRITE_COLUMNS, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
    )
    through.objects.bulk_create(
        (
            through(stakeholder_id=stakeholder.pk, region_id=region_id)
            for stakeholder, ids in zip(created, region_ids, strict=True)
            for region_id in ids
        ),
        batch_size=BATCH_SIZE,
    )
    return len(created)


def _copy(cursor, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    buffer = io.StringIO()
    # Every value quoted: in COPY's CSV format an unquoted empty value would be NULL, not "".
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    buffer.seek(0)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)


def _decode(file: bytes | str | Iterable[str]) -> Iterable[str]:
    if isinstance(file, bytes):
        file = file.decode("utf-8-sig")
    if isinstance(file, str):
        return io.StringIO(file.removeprefix("\ufeff"), newline="")
    return file


def _check_header(columns: list[str]) -> list[RowError]:
    errors = []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        errors.append(RowError(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
    unknown = [column for column in columns if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1,
                _("Unknown columns: %(columns)s (expected %(expected)s).")
                % {"columns": ", ".join(unknown), "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)},
            )
        )
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if duplicated:
        errors.append(RowError(1, _("Repeated columns: %(columns)s.") % {"columns": ", ".join(duplicated)}))
    return errors


def _existing_duplicates(lines_by_key: dict[tuple[int, str], int], countries: dict[str, Country]) -> list[RowError]:
    """Rows whose name already exists in the same country (one query)."""
    if not lines_by_key:
        return []
    country_ids = {country_id for country_id, _name in lines_by_key}
    country_names = {c.pk: c.name for c in countries.values()}
    existing = Stakeholder.objects.filter(country_id__in=country_ids).values_list("country_id", "name").order_by()
    errors = []
    for country_id, name in existing.iterator(chunk_size=10_000):
        # Lower-cased in Python, the same way as the file's names: the database's lower()
        # depends on its locale and may leave accented capitals alone.
        line = lines_by_key.get((country_id, name.lower()))
        if line is not None:
            message = _("a stakeholder with this name already exists in %(country)s")
            errors.append(RowError(line, message % {"country": country_names[country_id]}))
    return errors
