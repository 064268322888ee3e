"""The demo data: YAML files in each app (`<app>/demo/*.yaml`), loaded through the models' rules.

Files load in the order of `settings.PROJECT_APPS`, then by name; a file is a list of blocks,
loaded in order, so a record may refer to any record above it. A block of records:

    - model: stakeholders.Stakeholder
      key: [country, name]         # how a record finds its row: a second run creates nothing
      records:
        - {ref: minenergia, country: CO, name: Ministerio de Minas y Energía, sector: national_government}

A new row is saved with `core.validation.save_valid` (its `full_clean()`, with its many-to-many
values), as a staff page would save it. A row that exists keeps its values; only the fields it
has left empty or at their default are filled (so the countries made by a migration get their
summary, and a field added to a record reaches an existing database).

A block of calls, for writes that go through a service (a consent ledger, an import):

    - call: explorers_network.services.explorer_join
      model: explorers_network.Explorer  # optional: arguments named after its fields are read as such
      key: [email]                       # optional: a record whose row exists is not called again
      records:
        - {name: Lucía Mendoza, email: lucia.mendoza@example.org, country: CO, interests: [energy-communities]}

Values, read by the model field of the same name:
- a foreign key or many-to-many value names a record of an earlier block: its `ref`, or its key
  value when the key is one field (`CO`, `CO-LAG`, `staff-co`); in a call, an argument named after
  the block's model (`explorer:`) names one of its rows;
- a date may be `today`, `N days ago` or `in N days` (counted from the day of the run: such a field
  is never part of a key, so a later run still finds the row); a date-time may be `now`;
- the user model's `password` is hashed, and unusable unless DEBUG is on (a production database
  never holds the documented demo password);
- `!file path` is the text of a file next to the data file.

A record a rule refuses, or that a call reports errors for, stops the load with its file, line
and record (`DemoDataError`); the caller's transaction then writes nothing.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from core.validation import save_valid

Refs = dict[type[models.Model], dict[str, models.Model]]

RELATIVE_DATE = re.compile(r"^(?:today|(?P<ago>\d+) days? ago|in (?P<ahead>\d+) days?)$")


class DemoDataError(Exception):
    """A data file or one of its records that cannot be loaded; the message names both."""


class Record(dict):
    """A mapping read from a data file, with the line it starts on."""

    line = 0


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, keeping each mapping's line and reading `!file` tags."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Record:
    record = Record(loader.construct_mapping(node, deep=True))
    record.line = node.start_mark.line + 1
    return record


def _file(loader: _Loader, node: yaml.ScalarNode) -> str:
    return (Path(loader.name).parent / loader.construct_scalar(node)).read_text("utf-8")


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor("!file", _file)


def data_files(*app_labels: str) -> list[Path]:
    """Every data file of the given project apps (all of them by default), in the order they load."""
    labels = app_labels or [name.rpartition(".")[2] for name in settings.PROJECT_APPS]
    return [path for label in labels for path in sorted(Path(apps.get_app_config(label).path).glob("demo/*.yaml"))]


def display(path: Path) -> str:
    """A data file's path as a contributor reads it: from the repository's root."""
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


class Block:
    """One block of a data file: its model, key, service and records, checked before anything is written."""

    def __init__(self, path: Path, spec: Any) -> None:
        self.path = path
        self.line = getattr(spec, "line", 0)
        if not isinstance(spec, dict) or not isinstance(spec.get("records"), list):
            self.fail("a block is a mapping with `records:` (a list) and `model:` or `call:`")
        unknown = set(spec) - {"model", "key", "call", "records"}
        if unknown or not (spec.get("model") or spec.get("call")):
            self.fail(f"a block has `model:` or `call:`, `key:` and `records:`, not {sorted(unknown) or 'neither'}")
        self.model: type[models.Model] | None = None
        if spec.get("model"):
            try:
                self.model = apps.get_model(spec["model"])
            except (LookupError, ValueError):
                self.fail(f"no model {spec['model']!r}")
        self.call = None
        if spec.get("call"):
            try:
                self.call = import_string(spec["call"])
            except ImportError:
                self.fail(f"no function {spec['call']!r}")
        self.key: list[str] = list(spec.get("key") or [])
        if not self.call and not self.key:
            self.fail("a block of records names its `key:`, the fields that find a record's row")
        if self.key and self.model is None:
            self.fail("a `key:` needs the block's `model:`")
        for name in self.key:
            field = self.field(name, None)
            if field.many_to_many:
                self.fail(f"the key field {name!r} is many-to-many")
        self.records: list[Record] = spec["records"]

    def fail(self, message: str, record: Record | None = None, error: Exception | None = None) -> None:
        line = getattr(record, "line", 0) or self.line
        what = f" ({self.describe(record)})" if record is not None else ""
        raise DemoDataError(f"{display(self.path)}:{line}{what}: {message}") from error

    def describe(self, record: Record) -> str:
        label = self.model._meta.label if self.model else self.call.__name__
        name = record.get("ref") or ", ".join(str(record[name]) for name in self.key if name in record)
        return f"{label} {name!r}" if name else label

    def field(self, name: str, record: Record | None) -> models.Field:
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist as error:
            self.fail(f"{self.model._meta.label} has no field {name!r}", record, error)

    def value(self, name: str, value: Any, record: Record, refs: Refs) -> Any:
        """A record's value for field `name` as the model holds it: rows for references, dates for dates."""
        field = self.field(name, record)
        if field.many_to_many:
            if not isinstance(value, list):
                self.fail(f"{name}: a list of references, not {value!r}", record)
            return [self.row(field.related_model, item, name, record, refs) for item in value]
        if field.is_relation:
            return None if value is None else self.row(field.related_model, value, name, record, refs)
        if isinstance(field, models.DateTimeField) and value == "now":
            return timezone.now()
        relative = isinstance(value, str) and RELATIVE_DATE.match(value)
        if relative and isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            if name in self.key:
                self.fail(f"{name}: a date counted from today cannot be part of the key", record)
            days = int(relative["ahead"] or 0) - int(relative["ago"] or 0)
            return timezone.localdate() + datetime.timedelta(days=days)
        if name == "password" and self.model is get_user_model():
            # The documented demo password exists only where DEBUG is on.
            return make_password(value if settings.DEBUG else None)
        return value

    def row(self, model: type[models.Model], ref: Any, name: str, record: Record, refs: Refs) -> models.Model:
        try:
            return refs[model][str(ref)]
        except KeyError:
            self.fail(
                f"{name}: no {model._meta.label} {ref!r} above (a reference names the `ref`, or the one-field key, "
                "of a record in an earlier block or file)",
                record,
            )

    def fields(self, record: Record, refs: Refs) -> tuple[dict, dict]:
        """A record's plain and many-to-many values, read through the model's fields."""
        values, m2m = {}, {}
        for name, value in record.items():
            if name == "ref":
                continue
            converted = self.value(name, value, record, refs)
            (m2m if self.field(name, record).many_to_many else values)[name] = converted
        return values, m2m

    def lookup(self, record: Record, refs: Refs) -> dict:
        """The filter that finds a record's row: its key fields' values."""
        missing = [name for name in self.key if name not in record]
        if missing:
            self.fail(f"the record has no value for the key field(s) {', '.join(missing)}", record)
        return {name: self.value(name, record[name], record, refs) for name in self.key}

    def remember(self, row: models.Model, record: Record, refs: Refs) -> None:
        if "ref" in record:
            refs[self.model][str(record["ref"])] = row
        elif len(self.key) == 1:
            refs[self.model][str(record[self.key[0]])] = row

    def load(self, refs: Refs) -> int:
        """Find or make the row of every record; how many were made."""
        made = 0
        for record in self.records:
            if not isinstance(record, dict):
                self.fail(f"a record is a mapping, not {record!r}")
            try:
                made += self.load_call(record, refs) if self.call else self.load_record(record, refs)
            except ValidationError as error:
                self.fail(messages(error), record, error)
        return made

    def load_record(self, record: Record, refs: Refs) -> bool:
        values, m2m = self.fields(record, refs)
        lookup = self.lookup(record, refs)
        row = self.model._default_manager.filter(**lookup).first()
        if row is None:
            try:
                row = self.model(**values)
            except (TypeError, ValueError) as error:
                self.fail(str(error), record, error)
            save_valid(row, m2m=m2m)
            self.remember(row, record, refs)
            return True
        if fill(row, values):
            save_valid(row)
        self.remember(row, record, refs)
        return False

    def load_call(self, record: Record, refs: Refs) -> bool:
        lookup = self.lookup(record, refs) if self.key else None
        if lookup is not None and (row := self.model._default_manager.filter(**lookup).first()) is not None:
            self.remember(row, record, refs)
            return False
        arguments = {}
        for name, value in record.items():
            if self.model is not None and name == self.model._meta.model_name:
                arguments[name] = self.row(self.model, value, name, record, refs)
            elif self.model is not None and name in {field.name for field in self.model._meta.get_fields()}:
                arguments[name] = self.value(name, value, record, refs)
            else:
                arguments[name] = value
        try:
            result = self.call(**arguments)
        except TypeError as error:
            self.fail(str(error), record, error)
        if getattr(result, "ok", True) is False:  # an import's report: every row or none
            self.fail(f"{self.call.__name__} refused it: {result.errors[:3]}", record)
        if lookup is not None:
            row = self.model._default_manager.filter(**lookup).first()
            if row is None:
                self.fail(f"{self.call.__name__} made no {self.model._meta.label} with {lookup}", record)
            self.remember(row, record, refs)
        return lookup is not None  # a call without a key changes rows rather than making one


def fill(row: models.Model, values: dict) -> bool:
    """Give an existing row the demo's values for the fields it left empty or at their default."""
    changed = False
    for name, value in values.items():
        field = row._meta.get_field(name)
        current = getattr(row, field.attname)
        at_default = field.has_default() and not callable(field.default) and current == field.default
        if current in field.empty_values or at_default:
            setattr(row, name, value)
            changed |= getattr(row, field.attname) != current
    return changed


def messages(error: ValidationError) -> str:
    """A ValidationError as one line: `field: message` for each field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(texts) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(texts)}"
        for field, texts in error.message_dict.items()
    )


def read(path: Path) -> list[Block]:
    """The blocks of one data file, checked (models, services, key fields) before anything is written."""
    try:
        with path.open(encoding="utf-8") as stream:
            blocks = yaml.load(stream, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise DemoDataError(f"{display(path)}: not valid YAML: {error}") from error
    if not isinstance(blocks, list):
        raise DemoDataError(f"{display(path)}: a data file is a list of blocks")
    return [Block(path, spec) for spec in blocks]


def load(paths: Iterable[Path] | None = None, *, stdout=None) -> Refs:
    """Load the data files (all of them by default) in order; the rows made, by model and reference.

    Run it inside a transaction (seed_demo does): a refused record raises DemoDataError, and
    whatever came before it must be rolled back with it.
    """
    refs: Refs = defaultdict(dict)
    for path in data_files() if paths is None else paths:
        made = records = calls = 0
        for block in read(path):
            made += block.load(refs)
            if block.key:
                records += len(block.records)
            else:  # a call that changes rows (a confirmation, an import) makes no record of its own
                calls += len(block.records)
        if stdout is not None:
            counts = [f"{records} records, {made} new"] if records else []
            stdout.write(f"{display(path)}: {', '.join(counts + ([f'{calls} calls'] if calls else []))}")
    return refs
