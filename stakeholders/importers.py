"""Import stakeholders from a CSV file: all rows or none, every bad row reported with its line.

Staff map actors in spreadsheets before they reach the platform; this turns such a sheet
into stakeholders. Rules:

- The file is read by `core.importers.read_table`: CSV in any common encoding and separator, or
  XLSX. The first line names the columns (any order), by their names or the fields' names in
  English or Spanish: `name`, `sector`, `level`, `country` are required; `kind`, `acronym`,
  `regions`, `municipality`, `website`, `description` are optional. Choice columns take the stored
  value (`civil_society`) or the label in either language ("Civil society organisation",
  "Organización de la sociedad civil"), without regard to case or accents. `country` is an ISO
  code (CO) or the country's name; `regions` holds ISO 3166-2 codes or names of that country's
  regions separated by `;` (CO-LAG;CO-CES, La Guajira;Cesar); `municipality` is one of the
  country's municipalities, in one of those regions, by official code or name
  (`countries.lookup.Municipalities`). Names are stored in Unicode NFC, so a name typed with
  decomposed accents (a Mac) is the same name.
- A row with an `id` (the directory's export writes it) updates that stakeholder instead of
  creating one, if the user may edit it (else the row is an error); a row whose values are the
  stored ones changes nothing, so an export imports back unchanged. `organisation` is the name of a
  stakeholder already in the same country. A cell the export's formula guard prefixed with an
  apostrophe is read without it (`core.exports.csv_uncell`, in `read_table`).
- Duplicates are errors, not silent merges: a name that appears twice in the file for the
  same country, or that already exists in that country (case-insensitive), is reported with
  its line. Re-importing the same file therefore imports nothing and says why, instead of
  doubling every actor.
- Any bad row means nothing is imported. Rows are written in one transaction: on PostgreSQL
  they stream into COPY while the rest of the file is being checked, and a bad row rolls the
  transaction back (see `_copy_write`); elsewhere `bulk_create` runs after the whole file is valid.

Each value is checked with the same limits and choices as the model, and each row with the
model's own rule functions (`countries.models.regions_outside`, which `Stakeholder.clean` runs;
the database holds the constraints), without a per-row `full_clean()`, which would cost queries
per row and make a 50,000-row file take minutes.
"""

import copy
import io
import itertools
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bulk import can_copy, copy_rows, reserve_ids
from core.history.recording import record_copied, record_created
from core.importers import (
    Choices,
    FileUnreadable,
    ImportReport,
    RowError,
    Table,
    column_aliases,
    label_key,
    map_header,
    read_table,
    row_problems,
)
from core.imports import ImportKind, Target, register
from core.search import fold, nfc
from core.short_tables import table_changed
from countries.lookup import CellInvalid, Municipalities, Places
from countries.models import Country, Region, municipality_outside, regions_outside

from .models import Stakeholder, Tag
from .services import stakeholder_tags_set, stakeholders_tags_add, tag_names

REQUIRED_COLUMNS = ("name", "sector", "level", "country")
OPTIONAL_COLUMNS = (
    "id",
    "kind",
    "acronym",
    "regions",
    "municipality",
    "organisation",
    "website",
    "description",
    "tags",
)
BATCH_SIZE = 5_000
#: Rows per COPY on PostgreSQL: the names and links of one chunk are held until its history is written.
COPY_CHUNK = 50_000


def _max_length(field_name: str) -> int:
    return Stakeholder._meta.get_field(field_name).max_length


def stakeholders_import_csv(
    *, file: bytes | str | Table | io.BufferedIOBase | Iterable[str], user=None, dry_run: bool = False
) -> ImportReport:
    """Validate every row of a stakeholder CSV, then create all of them or none.

    `user`, when given (the admin action), limits the import to the countries the user may
    edit; the management command passes none and may import into any program country.
    `dry_run` validates only.
    """
    if not isinstance(file, bytes | str | Table | io.BufferedIOBase):  # lines of a text file
        file = "".join(file)
    try:
        table = read_table(file)
    except FileUnreadable as error:
        return ImportReport(errors=[RowError(1, error.message)])
    aliases = column_aliases(Stakeholder, {column: column for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS})
    positions, problems = map_header(table.header, aliases, REQUIRED_COLUMNS)
    if problems:
        return ImportReport(errors=[RowError(1, problem) for problem in problems])
    columns = [""] * len(table.header)
    for column, position in positions.items():
        columns[position] = column

    checker = _RowChecker(columns, user)
    rows = checker.rows(table)
    if "id" in positions:
        # A row that updates one is checked with full_clean(), whose queries cannot run while COPY
        # streams the new rows: check every row first.
        rows = iter(list(rows))
    created = 0
    if dry_run:
        for _row in rows:
            pass
    elif can_copy():
        try:
            with transaction.atomic():
                # A data row takes at least one line, so the file's line count bounds the ids needed.
                created = _copy_write(rows, checker, id_count=table.max_rows)
                if checker.errors:
                    raise _Invalid
                _tag_new(checker)
        except _Invalid:
            created = 0
    else:
        valid = list(rows)
        if valid and not checker.errors:
            with transaction.atomic():
                created = _bulk_write(valid, checker)
                _tag_new(checker)
    if checker.errors:
        return ImportReport(errors=sorted(checker.errors, key=lambda error: error.line))
    if not (checker.valid_rows or checker.updates or checker.unchanged):
        return ImportReport(errors=[RowError(checker.line, _("The file has no stakeholders to import."))])
    if not dry_run and checker.updates:
        with transaction.atomic():
            _update(checker.updates)
            for stakeholder, _changed, _regions in checker.updates:
                if stakeholder.pk in checker.update_tags:
                    stakeholder_tags_set(stakeholder=stakeholder, names=checker.update_tags[stakeholder.pk])
    return ImportReport(
        kind="stakeholders",
        dry_run=dry_run,
        rows=checker.valid_rows + len(checker.updates) + checker.unchanged,
        created=checker.valid_rows if dry_run else created,
        updated=len(checker.updates),
        unchanged=checker.unchanged,
        encoding=table.encoding,
        separator=table.separator,
    )


class _Invalid(Exception):
    """Rolls back rows already streamed to the database once a later row turns out bad."""


class _URLCheck:
    """Django's URLValidator, with its rules, without its per-call overhead on the common case.

    A URL its regular expression accepts, without an IPv6 host, is decided here with the same
    remaining checks (length, unsafe characters, scheme, host name length); anything else goes
    through URLValidator itself. Validating 50,000 websites through URLValidator alone takes
    longer than writing the rows.
    """

    def __init__(self, max_length: int) -> None:
        self.django = URLValidator()
        self.regex = re.compile(self.django.regex.pattern, self.django.regex.flags)
        self.max_length = min(max_length, self.django.max_length)

    def __call__(self, value: str) -> bool:
        if len(value) > self.max_length:
            return False
        django = self.django
        if (
            "[" not in value
            and self.regex.search(value)
            and not django.unsafe_chars.intersection(value)
            and value.split("://")[0].lower() in django.schemes
        ):
            if value.isascii() and len(value) <= 253:
                # The host is part of the value, so no longer than 253 characters, and an ASCII URL
                # without brackets is one urlsplit() splits: URLValidator's last checks hold.
                return True
            try:
                host = urlsplit(value).hostname
            except ValueError:
                return False
            return host is not None and len(host) <= 253
        try:
            django(value)
        except ValidationError:
            return False
        return True


class _RowChecker:
    """Checks rows one by one against dictionaries loaded in a few queries up front.

    `rows()` yields each valid row as a tuple in WRITE_COLUMNS order plus its region ids, and
    collects every problem in `errors`; a row with problems is not yielded.
    """

    def __init__(self, columns: list[str], user) -> None:
        self.columns = columns
        self.index = {column: position for position, column in enumerate(columns)}
        self.width = len(columns)
        countries = list(Country.objects.all())
        self.countries = {c.code: c for c in countries}
        self.allowed_country_ids = (
            set(Country.objects.editable_by(user).values_list("pk", flat=True)) if user is not None else None
        )
        regions = list(Region.objects.only("code", "country", "name"))
        self.regions = {region.code: region for region in regions if region.code}
        self.places = Places(countries, regions, allowed_country_ids=self.allowed_country_ids)
        self.municipalities = Municipalities()
        if "municipality" in columns:
            self.municipalities.preload_countries(
                [c for c in countries if self.allowed_country_ids is None or c.pk in self.allowed_country_ids]
            )
        self.existing, self.organisations, self.organisation_anywhere = _existing_names()
        # The rows an `id` may update: those the user may edit (all of them for the command), read
        # for a file with an id column (an export) a batch of lines at a time (`_load_targets`).
        self.editable_rows = Stakeholder.objects.all() if user is None else Stakeholder.objects.editable_by(user)
        self.related = ("regions", "tags") if "tags" in columns else ("regions",)
        self.editable: dict[int, Stakeholder] = {}
        #: With a `tags` column: the tag names of the new rows that have any (by their position among
        #: the rows yielded), each updated row's when they differ, and the ids the new rows were written with.
        self.new_tags: dict[int, list[str]] = {}
        self.update_tags: dict[int, list[str]] = {}
        self.created_ids: array | list[int] = []
        self.updates: list[tuple[Stakeholder, dict, list[int]]] = []
        self.unchanged = 0
        self.kinds = Choices(Stakeholder.Kind.choices)
        self.sectors = Choices(Stakeholder.Sector.choices)
        self.levels = Choices(Stakeholder.Level.choices)
        self.limits = {name: _max_length(name) for name in ("name", "acronym", "website")}
        self.url_valid = _URLCheck(self.limits["website"])
        self.errors: list[RowError] = []
        self.valid_rows = 0
        self.line = 1

    def municipality(self, text: str, country: Country, regions: list[Region]) -> int:
        """The municipality a cell names, by code or name (countries.lookup.Municipalities): among the
        country's, and it must lie in one of the row's regions (the rule of Stakeholder.clean)."""
        found = self.municipalities.find(text, country=country)
        outside = municipality_outside(found, regions)
        if outside:
            raise CellInvalid(outside)
        return found.pk

    def _with_targets(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """The table's rows; with an id column, the stakeholders a batch of them names are read first,
        in one query (and one per related table), so no more than a batch of them is held at once."""
        position = self.index.get("id")
        if position is None:
            yield from rows
            return
        # SQLite limits the parameters of a query.
        size = min(BATCH_SIZE, 500) if connection.vendor == "sqlite" else BATCH_SIZE
        while batch := list(itertools.islice(rows, size)):
            cells_ids = (cells[position].strip() for _line, cells in batch if position < len(cells))
            ids = {int(value) for value in cells_ids if value.isdigit()}
            found = self.editable_rows.filter(pk__in=ids).prefetch_related(*self.related).order_by()
            self.editable = {stakeholder.pk: stakeholder for stakeholder in found} if ids else {}
            yield from batch

    def rows(self, table) -> Iterator[tuple[tuple, list[int]]]:
        errors, countries, regions, limits = self.errors, self.countries, self.regions, self.limits
        # A column holds a handful of distinct spellings ("Local", "local"): each is read once.
        kinds, sectors, levels = _cached(self.kinds.lookup), _cached(self.sectors.lookup), _cached(self.levels.lookup)
        country_by_name = self.places.country_by_name
        allowed_country_ids = self.allowed_country_ids
        country_names = {c.pk: c.display_name for c in countries.values()}
        lines_by_key: dict[tuple[int, str], int] = {}
        index = self.index
        at = {column: index.get(column) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        columns = self.columns

        for line, row in self._with_targets(table.rows):
            self.line = line
            if len(row) != self.width:
                counts = {"expected": self.width, "found": len(row)}
                errors.append(RowError(line, _("Expected %(expected)d columns, found %(found)d.") % counts))
                continue
            problems = row_problems(zip(columns, row, strict=True))
            if problems:  # a value with a NUL or a control character is not worth reading further
                errors.append(RowError(line, "; ".join(problems)))
                continue
            values = {column: ("" if position is None else row[position].strip()) for column, position in at.items()}
            target = None
            if values["id"]:
                target = self.editable.get(int(values["id"])) if values["id"].isdigit() else None
                if target is None:
                    message = _("no stakeholder with id %(value)s that you may edit")
                    errors.append(RowError(line, message % {"value": values["id"]}))
                    continue

            name = values["name"] = nfc(values["name"])  # as the model stores it (core.search)
            if not name:
                problems.append(_("name is required"))
            elif len(name) > limits["name"]:
                problems.append(_("name is longer than %(limit)d characters") % {"limit": limits["name"]})
            kind = kinds(values["kind"]) if values["kind"] else Stakeholder.Kind.ORGANISATION
            if kind is None:
                problems.append(_unknown_choice(_("kind"), values["kind"], self.kinds))
            sector = sectors(values["sector"])
            if sector is None:
                problems.append(_unknown_choice(_("sector"), values["sector"], self.sectors))
            level = levels(values["level"])
            if level is None:
                problems.append(_unknown_choice(_("level"), values["level"], self.levels))
            country = countries.get(values["country"].upper()) or country_by_name.get(label_key(values["country"]))
            if country is None:
                problems.append(
                    _("unknown country %(value)r (use an ISO code such as CO)") % {"value": values["country"]}
                )
            elif allowed_country_ids is not None and country.pk not in allowed_country_ids:
                problems.append(_("you may not add stakeholders in %(country)s") % {"country": country.display_name})
            acronym = values["acronym"]
            if len(acronym) > limits["acronym"]:
                problems.append(_("acronym is longer than %(limit)d characters") % {"limit": limits["acronym"]})
            website = values["website"]
            if website and not self.url_valid(website):
                problems.append(_("website %(value)r is not a valid URL") % {"value": website})
            row_regions = []
            if values["regions"]:
                for part in filter(None, (part.strip() for part in values["regions"].split(";"))):
                    region = regions.get(part.upper())
                    if region is None:
                        try:
                            region = self.places.region(part, country=country)
                        except CellInvalid as error:
                            problems.append(error.message)
                            continue
                    row_regions.append(region)
                elsewhere = regions_outside(country, row_regions)  # the rule of Stakeholder.clean
                if elsewhere:
                    problems.append(elsewhere)
            municipality_id = None
            if values["municipality"] and country is not None:
                try:
                    municipality_id = self.municipality(values["municipality"], country, row_regions)
                except CellInvalid as error:
                    problems.append(error.message)
            row_tags = tag_names(values["tags"].replace(";", ",")) if values["tags"] else []
            too_long = [tag for tag in row_tags if len(tag) > Tag._meta.get_field("name").max_length]
            if too_long:
                problems.append(
                    _("A tag has at most %(max)d characters: %(names)s.")
                    % {"max": Tag._meta.get_field("name").max_length, "names": ", ".join(too_long)}
                )
            organisation_id = None
            if values["organisation"] and country is not None:
                wanted = values["organisation"]
                folded = fold(nfc(wanted))
                organisation_id = self.existing.get((country.pk, folded)) or self.organisation_anywhere.get(folded)
                if organisation_id is None:
                    message = _("unknown organisation %(value)r (the name of a stakeholder of %(country)s)")
                    problems.append(message % {"value": wanted, "country": country_names[country.pk]})
                elif target is not None and organisation_id == target.pk:
                    problems.append(_("A stakeholder cannot be its own organisation."))
                elif organisation_id not in self.organisations:  # the rule of Stakeholder.clean
                    problems.append(_("The organisation must be an organisation, not a person or an informal group."))

            existing_error = None
            folded = fold(name)  # the stored search form (core.search), folded once per row
            if name and country is not None:
                key = (country.pk, folded)
                if key in lines_by_key:
                    problems.append(
                        _("%(name)r is already on line %(line)d for this country")
                        % {"name": name, "line": lines_by_key[key]}
                    )
                else:
                    lines_by_key[key] = line
                    if key in self.existing and (target is None or self.existing[key] != target.pk):
                        message = _("a stakeholder with this name already exists in %(country)s")
                        existing_error = RowError(line, message % {"country": country_names[country.pk]})

            if problems:
                errors.append(RowError(line, "; ".join(problems)))
            if existing_error is not None:
                errors.append(existing_error)
            if problems or existing_error is not None:
                continue
            if target is not None:
                fields = {
                    "kind": kind,
                    "name": name,
                    "acronym": acronym,
                    "sector": sector,
                    "level": level,
                    "country_id": country.pk,
                    "website": website,
                    "description": values["description"],
                    "organisation_id": organisation_id,
                    "municipality_id": municipality_id,
                }
                region_ids = sorted({region.pk for region in row_regions})
                changed = {field: value for field, value in fields.items() if getattr(target, field) != value}
                if changed:  # the model's own rules, as a form would run them (only for the rows that change)
                    candidate = copy.copy(target)
                    for field, value in changed.items():
                        setattr(candidate, field, value)
                    try:
                        candidate.full_clean(exclude=["regions"])
                    except ValidationError as error:
                        errors.append(RowError(line, "; ".join(error.messages)))
                        continue
                tags_changed = "tags" in index and sorted(fold(tag) for tag in row_tags) != sorted(
                    tag.key for tag in target.tags.all()
                )
                if tags_changed:
                    self.update_tags[target.pk] = row_tags
                if changed or tags_changed or region_ids != sorted(region.pk for region in target.regions.all()):
                    self.updates.append((target, changed, region_ids))
                else:
                    self.unchanged += 1
                continue
            if row_tags:
                self.new_tags[self.valid_rows] = row_tags
            self.valid_rows += 1
            row = (kind, name, acronym, sector, level, country.pk, website, values["description"], folded)
            row += (organisation_id, municipality_id)
            yield row, list(dict.fromkeys(region.pk for region in row_regions))  # a region named twice is one link
        errors.extend(table.errors)


def _cached(lookup: dict[str, str]) -> Callable[[str], str | None]:
    """A choice column's reading of a cell (`label_key`, then the choices), remembered per spelling."""
    found: dict[str, str | None] = {}

    def read(text: str) -> str | None:
        if text not in found:
            found[text] = lookup.get(label_key(text))
        return found[text]

    return read


def _unknown_choice(column: str, value: str, choices: Choices) -> str:
    return _("unknown %(column)s %(value)r (one of %(choices)s)") % {
        "column": column,
        "value": value,
        "choices": ", ".join(choices.values),
    }


WRITE_COLUMNS = (
    "kind",
    "name",
    "acronym",
    "sector",
    "level",
    "country_id",
    "website",
    "description",
    "search_name",
    "organisation_id",
    "municipality_id",
)


def _copy_write(rows: Iterator[tuple[tuple, list[int]]], checker: _RowChecker, *, id_count: int) -> int:
    """Stream the valid rows to PostgreSQL with COPY while the rest of the file is still being
    checked, a chunk at a time, each chunk followed by its regions and its history; return how many
    stakeholders were written.

    The COPY runs while Python validates the next rows, so the database inserts and maintains
    the table's indexes on the other core instead of after validation. Ids come from the
    table's sequence, reserved in one query per chunk, never more in all than the file has lines
    (a few unused ids are harmless gaps). As soon as a row is bad the stream stops (the rest of the
    file is still checked, for the report) and the caller rolls the transaction back.

    Memory stays small whatever the file's size: a chunk's rows and region links, and the ids of
    all the new rows (as an array of integers). The history of a chunk is made from the values just
    written and streamed into its own COPY (`record_copied`): one "created" row per stakeholder,
    with its regions and who imported it, as every other path records.
    """
    table = Stakeholder._meta.db_table
    through = Stakeholder.regions.through._meta.db_table
    created = array("q")
    with connection.cursor() as cursor:
        now = timezone.now().isoformat()
        while not checker.errors and len(created) < id_count:
            # Each chunk's ids, reserved before its COPY starts (no query can run while it streams).
            ids = iter(reserve_ids(cursor, table, min(COPY_CHUNK, id_count - len(created))))
            chunk = []
            written = copy_rows(
                cursor,
                table,
                ("id", "created_at", "updated_at", *WRITE_COLUMNS),
                _chunk(rows, checker, ids, now, chunk),
                nullable=("organisation_id", "municipality_id"),
            )
            if checker.errors or not written:
                break
            links = [(pk, region) for pk, _name, _row, regions in chunk for region in regions["regions"]]
            if links:
                copy_rows(cursor, through, ("stakeholder_id", "region_id"), links)
            record_copied(Stakeholder, WRITE_COLUMNS, chunk, m2m=("regions",))
            created.extend(pk for pk, _name, _row, _regions in chunk)
            if written < COPY_CHUNK:
                break
    checker.created_ids = created
    table_changed(Stakeholder)
    return len(created)


def _chunk(rows, checker: _RowChecker, ids, now: str, chunk: list):
    """The next COPY_CHUNK valid rows as COPY writes them, each given the next reserved id; each is
    appended to `chunk` as `record_copied` takes it: (id, name, row, {"regions": region ids})."""
    for row, row_regions in rows:
        if checker.errors:
            for _rest in rows:
                pass  # checked for the report, never written
            return
        pk = next(ids)
        chunk.append((pk, Stakeholder.name_with_acronym(row[1], row[2]), row, {"regions": row_regions}))
        yield (pk, now, now, *row)
        if len(chunk) == COPY_CHUNK:
            return


def _record(created: list[Stakeholder], links: list[tuple[int, int]]) -> None:
    """One "created" history row per stakeholder, its regions included, in bulk."""
    regions: dict[int, list[int]] = {}
    for pk, region in links:
        regions.setdefault(pk, []).append(region)
    record_created(Stakeholder, created, m2m={"regions": regions})


def _tag_new(checker: _RowChecker) -> None:
    """The new rows' tags, once the rows are written (through the page's rule: a country's new tag is made)."""
    if not checker.new_tags:
        return
    names = {checker.created_ids[position]: tags for position, tags in checker.new_tags.items()}
    countries = dict(Stakeholder.objects.filter(pk__in=list(names)).values_list("pk", "country_id").order_by())
    stakeholders_tags_add(tags=[(pk, countries[pk], tags) for pk, tags in names.items()])


def _bulk_write(rows: list[tuple[tuple, list[int]]], checker: _RowChecker) -> int:
    """The same rows through `bulk_create`, for databases without COPY (SQLite in tests)."""
    through = Stakeholder.regions.through
    with disable_auditlog():  # recorded below with their regions, as after COPY
        created = Stakeholder.objects.bulk_create(
            (Stakeholder(**dict(zip(WRITE_COLUMNS, row, strict=True))) for row, _regions in rows),
            batch_size=BATCH_SIZE,
        )
    links = [
        (stakeholder.pk, region_id)
        for stakeholder, (_row, region_ids) in zip(created, rows, strict=True)
        for region_id in region_ids
    ]
    through.objects.bulk_create(
        (through(stakeholder_id=pk, region_id=region_id) for pk, region_id in links), batch_size=BATCH_SIZE
    )
    checker.created_ids = [stakeholder.pk for stakeholder in created]
    _record(created, links)
    return len(created)


def _update(updates: list[tuple[Stakeholder, dict, list[int]]]) -> None:
    """Write the rows an `id` changed, each through `save()` so that its history is recorded."""
    for stakeholder, changed, region_ids in updates:
        for field, value in changed.items():
            setattr(stakeholder, field, value)
        if changed:  # checked with full_clean() by _RowChecker
            stakeholder.save()
        if region_ids != sorted(region.pk for region in stakeholder.regions.all()):
            stakeholder.regions.set(region_ids)


def _existing_names() -> tuple[dict[tuple[int, str], int], set[int], dict[str, int]]:
    """(country id, folded name) of every stakeholder with its id, to refuse duplicates and find
    organisations; the ids of the organisations; and the organisations whose name is in one country
    only, by name (one query). "Cerrejon" is "Cerrejón", and a name with decomposed accents is the
    same name (core.search.fold)."""
    existing = Stakeholder.objects.values_list("country_id", "search_name", "pk", "kind").order_by()
    names, organisations, anywhere, repeated = {}, set(), {}, set()
    for country, name, pk, kind in existing.iterator(chunk_size=10_000):
        names[(country, name)] = pk
        if kind == Stakeholder.Kind.ORGANISATION:
            organisations.add(pk)
            if name in anywhere:
                repeated.add(name)
            anywhere[name] = pk
    for name in repeated:
        del anywhere[name]
    return names, organisations, anywhere


def _run(*, file, user=None, dry_run: bool) -> ImportReport:
    return stakeholders_import_csv(file=file, user=user, dry_run=dry_run)


register(
    ImportKind(
        name="stakeholders",
        label=gettext_lazy("Stakeholders"),
        targets=tuple(
            Target(column, column, required=column in REQUIRED_COLUMNS)
            for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        ),
        run=_run,
        aliases=lambda: column_aliases(Stakeholder, {column: column for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}),
    )
)

from . import contact_import  # noqa: E402, F401 (registers the contacts kind beside the stakeholders one)
