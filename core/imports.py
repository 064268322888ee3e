"""The kinds of file the platform imports, and the column mapping that reads any layout as one.

Each app registers its kinds in its own `importers.py` (found by `autodiscover`, as the admin finds
`admin.py`), so the staff import page and `manage.py import_data` offer every kind without naming
the apps. A new kind is one call::

    register(ImportKind(name="memberships", label=_("Coalition memberships"), targets=(...),
                        run=memberships_import, aliases=lambda: MEMBERSHIP_ALIASES))

`run(file=..., user=..., dry_run=...)` receives a `core.importers.Table` already read in the kind's
own columns (or the raw bytes, for the command without a profile) and returns an `ImportReport`.

The mapping step (`apply_mapping`) turns a file in the layout a portal publishes into those columns:
each header of the file goes to one target column or is ignored; a profile may add fixed values
(the currency, a note), translate a column's values ("REGALIAS MINERAS" is `mining_royalties`),
fix the decimal mark, and sum the rows that are the same once mapped (a file per district, read
per department). A target may derive others from its cell (`Target.derive`: a district's ubigeo
gives its department; "2001621: AGUA POTABLE" gives a project's code and name).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from core.access import is_staff_member
from core.importers import CellInvalid, ImportReport, Table, decimal, decimal_mark_of, label_key


@dataclass(frozen=True)
class Target:
    """A column an importer reads (`name`, as its header) or one that derives others from its cell."""

    name: str
    label: str | Promise
    required: bool = False
    #: A figure: summed when a profile aggregates rows, read with the file's decimal mark.
    money: bool = False
    #: For a column the importer does not read itself: the columns its cell gives ({name: text}),
    #: used where the file has no column mapped to them.
    derive: Callable[[str], dict[str, str]] | None = None


@dataclass(frozen=True)
class Profile:
    """A named column mapping: which header goes to which target, and what to add or translate.

    Built-in profiles (the portals' layouts) are code; a user's are `imports.ImportProfile` rows,
    read into this shape (`imports.models.ImportProfile.as_profile`)."""

    name: str
    kind: str
    label: str | Promise = ""
    #: label_key(header) → target name; a header mapped to "" is ignored.
    mapping: dict[str, str] = field(default_factory=dict)
    #: target → the value of a column the file does not have (or leaves empty).
    fixed: dict[str, str] = field(default_factory=dict)
    #: target → {label_key(value in the file): value the importer reads}.
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: "." or ","; empty to tell it from the file's figures.
    decimal_mark: str = ""
    #: Sum the figures of rows that are the same once mapped (per district → per department).
    aggregate: bool = False
    #: The ISO code of the one country whose portal publishes the layout: its codes are read as
    #: that country's ("20" is Cesar in a DANE file, not Piura).
    country: str = ""
    builtin: bool = False
    pk: int | None = None

    @property
    def key(self) -> str:
        """How the import page's profile menu names it: built-in ones by name, saved ones by id."""
        return f"builtin:{self.name}" if self.builtin else str(self.pk)


@dataclass(frozen=True)
class ImportKind:
    """One kind of file the import page and the command take."""

    name: str
    label: str | Promise
    targets: tuple[Target, ...]
    run: Callable[..., ImportReport]
    #: label_key(header) → target name: the header names the kind accepts without a profile
    #: (its columns, the model's verbose names in either language).
    aliases: Callable[[], dict[str, str]] = dict
    #: Who may import this kind at all (rows are still scoped by the importer).
    may_import: Callable[[object], bool] = is_staff_member
    profiles: tuple[Profile, ...] = ()

    def target(self, name: str) -> Target | None:
        return next((target for target in self.targets if target.name == name), None)

    def profile(self, name: str) -> Profile | None:
        return next((profile for profile in self.profiles if profile.name == name), None)


_KINDS: dict[str, ImportKind] = {}
_discovered = False


def register(kind: ImportKind) -> ImportKind:
    """Offer a kind of file on the import page and to `import_data` (called from `<app>/importers.py`)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, ImportKind]:
    """Every registered kind, by name (each app's `importers.py` is imported the first time)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True
    return dict(_KINDS)


def get_kind(name: str) -> ImportKind | None:
    return kinds().get(name)


# The mapping step.


def guess_mapping(kind: ImportKind, header: list[str], profile: Profile | None = None) -> list[str]:
    """The target of each header: the profile's, else the kind's own name for it, else ignored ("").
    A target is guessed for its first header only."""
    aliases = kind.aliases()
    names = {target.name for target in kind.targets}
    guessed, taken = [], set()
    for name in header:
        key = label_key(name)
        target = profile.mapping.get(key) if profile and key in profile.mapping else aliases.get(key, "")
        if target not in names or target in taken:
            target = ""
        taken.add(target)
        guessed.append(target)
    return guessed


def mapping_problems(kind: ImportKind, header: list[str], mapping: list[str], fixed: dict[str, str]) -> list[str]:
    """Every problem of a mapping at once: a target chosen twice, a required one neither mapped nor fixed."""
    problems = []
    chosen = [target for target in mapping if target]
    repeated = sorted({target for target in chosen if chosen.count(target) > 1})
    for target in repeated:
        columns = [header[position] for position, name in enumerate(mapping) if name == target]
        problems.append(
            _("%(target)s is chosen for more than one column (%(columns)s).")
            % {"target": target, "columns": ", ".join(columns)}
        )
    given = set(chosen) | {name for name, value in fixed.items() if value.strip()}
    for target in kind.targets:
        if target.derive and target.name in given:
            given |= set(target.derive(""))
    missing = [target.name for target in kind.targets if target.required and target.name not in given]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return problems


def apply_mapping(
    kind: ImportKind,
    table: Table,
    mapping: list[str],
    *,
    fixed: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    decimal_mark: str = "",
    aggregate: bool = False,
) -> Table:
    """The table in the kind's own columns: each row keeps the line it is on in the file (the first
    of its group when rows are summed), and each column the name the file gives it (`Table.labels`)."""
    fixed = {name: value for name, value in (fixed or {}).items() if value.strip()}
    values = values or {}
    positions = [(position, target) for position, target in enumerate(mapping) if target]
    direct = [target for _position, target in positions if not (kind.target(target) and kind.target(target).derive)]
    header = list(direct)
    derived_names = []
    for _position, target in positions:
        spec = kind.target(target)
        if spec is not None and spec.derive:
            derived_names += [name for name in spec.derive("") if name not in header and name not in derived_names]
    header += derived_names
    header += [name for name in fixed if name not in header]
    labels = {target: table.header[position].strip() for position, target in positions if target in direct}
    for _position, target in positions:
        spec = kind.target(target)
        if spec is not None and spec.derive:
            source = table.header[_position].strip()
            labels.update({name: source for name in spec.derive("") if name in derived_names})

    rows = []
    for line, cells in table.rows:
        out: dict[str, str] = {}
        derived: dict[str, str] = {}
        for position, target in positions:
            text = cells[position] if position < len(cells) else ""
            translated = _translated(values.get(target), text)
            text = text if translated is None else translated
            spec = kind.target(target)
            if spec is not None and spec.derive:
                for name, value in spec.derive(text).items():
                    derived.setdefault(name, value)
            else:
                out[target] = text
        for name, value in derived.items():
            if not out.get(name, "").strip():
                out[name] = value
        for name, value in fixed.items():
            if not out.get(name, "").strip():
                out[name] = value
        rows.append((line, [out.get(name, "") for name in header]))

    mark, mark_fixed = decimal_mark or table.decimal_mark, bool(decimal_mark)
    money = [position for position, name in enumerate(header) if kind.target(name) and kind.target(name).money]
    if not mark_fixed:
        mark = decimal_mark_of((cells[p] for _line, cells in rows for p in money), default=table.decimal_mark)
    if aggregate and money:
        rows, mark, mark_fixed = _summed(rows, money, mark), ".", True
    return Table(
        header=header,
        rows=iter(rows),
        encoding=table.encoding,
        separator=table.separator,
        decimal_mark=mark,
        decimal_mark_fixed=mark_fixed,
        errors=table.errors,
        max_rows=table.max_rows,
        labels=labels,
    )


def _translated(values: dict[str, str] | None, text: str) -> str | None:
    """A cell's value as a profile translates it: by the whole text, or by the code of "18: CANON ..."."""
    if not values or not text.strip():
        return None
    found = values.get(label_key(text))
    if found is None and ":" in text:
        found = values.get(label_key(text.split(":", 1)[0]))
    return found


def _summed(rows: list[tuple[int, list[str]]], money: list[int], mark: str) -> list[tuple[int, list[str]]]:
    """One row per group of rows equal but for their figures, with the figures summed (written with a
    dot). A row with a figure that cannot be read is kept as it is, so the import reports it."""
    groups: dict[tuple, tuple[int, list[str], list[Decimal]]] = {}
    kept = []
    for line, cells in rows:
        try:
            figures = [decimal(cells[p], decimal_mark=mark) if cells[p].strip() else Decimal(0) for p in money]
        except CellInvalid:
            kept.append((line, cells))
            continue
        key = tuple(label_key(cell) for p, cell in enumerate(cells) if p not in money)
        if key in groups:
            first_line, first_cells, sums = groups[key]
            groups[key] = (first_line, first_cells, [a + b for a, b in zip(sums, figures, strict=True)])
        else:
            groups[key] = (line, cells, figures)
    for line, cells, sums in groups.values():
        cells = list(cells)
        for p, total in zip(money, sums, strict=True):
            cells[p] = format(total, "f")
        kept.append((line, cells))
    return sorted(kept, key=lambda row: row[0])


def sample_values(table_rows: list[tuple[int, list[str]]], position: int, count: int = 3) -> list[str]:
    """The first few distinct non-empty values of a column, shown beside its header on the mapping step."""
    found: list[str] = []
    for _line, cells in table_rows:
        value = cells[position].strip() if position < len(cells) else ""
        if value and value not in found:
            found.append(value)
            if len(found) == count:
                break
    return found


def import_with_profile(
    *, kind: ImportKind, table: Table, mapping: list[str], profile: Profile | None, user, dry_run: bool, **overrides
) -> ImportReport:
    """Map a table read from a file and import it through its kind's pipeline; a mapping problem is
    reported like a header problem (line 1), and nothing is imported."""
    from core.importers import RowError

    fixed = {**(profile.fixed if profile else {}), **overrides.get("fixed", {})}
    problems = mapping_problems(kind, table.header, mapping, fixed)
    if problems:
        return ImportReport(kind=kind.name, dry_run=dry_run, errors=[RowError(1, problem) for problem in problems])
    mapped = apply_mapping(
        kind,
        table,
        mapping,
        fixed=fixed,
        values=profile.values if profile else {},
        decimal_mark=overrides.get("decimal_mark") or (profile.decimal_mark if profile else ""),
        aggregate=overrides.get("aggregate", profile.aggregate if profile else False),
    )
    country = overrides.get("country", profile.country if profile else "")
    return kind.run(file=mapped, user=user, dry_run=dry_run, **({"country": country} if country else {}))
