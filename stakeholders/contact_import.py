"""Import of contacts (people of a stakeholder): all or nothing, idempotent, every problem reported.

Contacts are personal data, so only staff of the stakeholder's country (and admins) may import
them: a row whose stakeholder is outside the user's country teams is an error, never a silent skip.
The stakeholder is named by its id or by its name in its country (accent- and case-blind, as search
folds it: "Alcaldia de Uribia" is "Alcaldía de Uribia"); a name found in two countries needs the
`country` column. A row updates the contact with its `id`, else the stakeholder's contact with the
same email, else the one with the same name; otherwise it is a new contact. Consent is never
cleared by a file that leaves its columns empty (an address-book export knows nothing of consent):
only a cell with a value changes a stored one, and the model's rule (a consent date needs its
source) is checked on every row.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importers import (
    CellInvalid,
    Choices,
    FileUnreadable,
    ImportReport,
    RowChange,
    RowError,
    column_aliases,
    label_key,
    map_header,
    read_table,
    row_problems,
    text_within,
)
from core.imports import ImportKind, Profile, Target, register
from core.search import fold, nfc
from core.validation import validate_row
from countries.lookup import Places
from countries.models import Country

from .models import Contact, Stakeholder

CONTACT_FIELDS = {
    "id": None,
    "stakeholder": "stakeholder",
    "country": None,
    "name": "name",
    "position": "position",
    "email": "email",
    "phone": "phone",
    "preferred_language": "preferred_language",
    "consent_given_at": "consent_given_at",
    "consent_source": "consent_source",
}
CONTACT_REQUIRED = ("stakeholder", "name")
#: The columns whose empty cell keeps the stored value rather than clearing it.
KEEP_WHEN_EMPTY = ("position", "email", "phone", "consent_given_at", "consent_source")
MAX_ROWS = 10_000


def may_import_contacts(user) -> bool:
    """Staff with a country team (or an admin): contacts are personal data of a country's stakeholders."""
    if user is None:
        return True
    return bool(getattr(user, "is_authenticated", False) and (user.is_admin or user.team_country_ids))


def _aliases() -> dict[str, str]:
    aliases = column_aliases(Contact, CONTACT_FIELDS)
    for name in ("organisation", "organization", "organización", "company", "empresa", "entidad"):
        aliases.setdefault(label_key(name), "stakeholder")
    for name in ("e-mail", "correo", "correo electrónico", "e-mail address", "email address"):
        aliases.setdefault(label_key(name), "email")
    for name in ("job title", "cargo", "title", "puesto"):
        aliases.setdefault(label_key(name), "position")
    for name in ("teléfono", "telefono", "mobile phone", "celular", "móvil"):
        aliases.setdefault(label_key(name), "phone")
    aliases.setdefault(label_key("país"), "country")
    return aliases


def _consent_date(text: str) -> datetime.datetime:
    value = text.strip()
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CellInvalid(_("“%(value)s” is not a date (write it as 2024-05-31).") % {"value": text})
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def contacts_import(*, file, user=None, dry_run: bool) -> ImportReport:
    """Check every row of a contacts file, then create and update all of them or none."""
    report = ImportReport(kind="contacts", dry_run=dry_run)
    try:
        table = read_table(file)
    except FileUnreadable as error:
        report.errors.append(RowError(1, error.message))
        return report
    report.encoding, report.separator = table.encoding, table.separator
    positions, problems = map_header(table.header, _aliases(), CONTACT_REQUIRED)
    report.errors.extend(RowError(1, problem) for problem in problems)
    if report.errors:
        return report
    names = {column: table.column_label(position) for column, position in positions.items()}

    stakeholders = Stakeholder.objects.all() if user is None else Stakeholder.objects.editable_by(user)
    stakeholders = list(stakeholders.only("pk", "name", "search_name", "country_id"))
    by_pk = {s.pk: s for s in stakeholders}
    by_name: dict[str, list[Stakeholder]] = {}
    for stakeholder in stakeholders:
        by_name.setdefault(stakeholder.search_name, []).append(stakeholder)
    countries = list(Country.objects.all())
    places = Places(countries, [])
    contacts = Contact.objects.filter(stakeholder__in=by_pk).order_by("pk")
    if user is not None:
        contacts = contacts.filter(pk__in=Contact.objects.editable_by(user).values("pk"))
    existing = list(contacts)
    contact_by_pk = {contact.pk: contact for contact in existing}
    by_email = {(c.stakeholder_id, c.email.casefold()): c for c in existing if c.email}
    by_person = {(c.stakeholder_id, c.search_name): c for c in existing}
    languages = Choices(Contact.Language.choices)
    limits = {
        name: Contact._meta.get_field(name).max_length for name in ("name", "position", "phone", "consent_source")
    }

    planned: list[tuple[int, Contact, str, list]] = []
    seen: dict[tuple, int] = {}
    for line, cells in table.rows:
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(RowError(line, _("Too many rows: at most %(max)s per file.") % {"max": MAX_ROWS}))
            break
        values = {column: (cells[position] if position < len(cells) else "") for column, position in positions.items()}
        problems = row_problems((names[column], value) for column, value in values.items())
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
            continue

        failed: set[str] = set()

        def named(column: str, message: str, problems: list = problems, failed: set = failed) -> None:
            problems.append(f"{names[column]}: {message}")
            failed.add(column)

        country = None
        if values.get("country", "").strip():
            try:
                country = places.country(values["country"])
            except CellInvalid as error:
                named("country", error.message)
        wanted = values["stakeholder"].strip()
        stakeholder = None
        if not wanted:
            named("stakeholder", _("is empty."))
        elif wanted.isdigit() and int(wanted) in by_pk:
            stakeholder = by_pk[int(wanted)]
        else:
            found = [s for s in by_name.get(fold(nfc(wanted)), []) if country is None or s.country_id == country.pk]
            if len(found) == 1:
                stakeholder = found[0]
            elif found:
                named(
                    "stakeholder",
                    _("“%(value)s” is a stakeholder in more than one country: add a country column.")
                    % {"value": wanted},
                )
            else:
                named(
                    "stakeholder",
                    _("“%(value)s” is not a stakeholder of your country teams (its id, or its name).")
                    % {"value": wanted},
                )
        fields = {}
        for column in ("name", "position", "phone", "consent_source"):
            if column not in values or (column in KEEP_WHEN_EMPTY and not values[column].strip()):
                continue
            try:
                fields[column] = text_within(values[column], limit=limits[column])
            except CellInvalid as error:
                problems.append(f"{names[column]} {error.message}")
                failed.add(column)
        if not fields.get("name", "x"):
            named("name", _("is empty."))
        if values.get("email", "").strip():
            fields["email"] = values["email"].strip()
        if values.get("preferred_language", "").strip():
            try:
                fields["preferred_language"] = languages(values["preferred_language"])
            except CellInvalid as error:
                named("preferred_language", error.message)
        if values.get("consent_given_at", "").strip():
            try:
                fields["consent_given_at"] = _consent_date(values["consent_given_at"])
            except CellInvalid as error:
                named("consent_given_at", error.message)

        target = None
        if values.get("id", "").strip():
            target = contact_by_pk.get(int(values["id"])) if values["id"].strip().isdigit() else None
            if target is None:
                named("id", _("there is no contact with id %(value)s that you may change.") % {"value": values["id"]})
        elif stakeholder is not None and "name" in fields:
            email = fields.get("email", "").casefold()
            target = by_email.get((stakeholder.pk, email)) if email else None
            target = target or by_person.get((stakeholder.pk, fold(fields["name"])))
        if problems:
            # The model's rules on what could be read (a bad email beside an unknown language), so a
            # row with two mistakes shows both; the fields already reported are left out.
            if stakeholder is not None:
                partial = Contact(stakeholder=stakeholder, **{k: v for k, v in fields.items() if k not in failed})
                problems += _rule_messages(partial, names, skip=failed)
            report.errors.append(RowError(line, " ".join(problems)))
            continue
        key = (
            ("id", target.pk)
            if target
            else (stakeholder.pk, fields.get("email", "").casefold() or fold(fields["name"]))
        )
        if key in seen:
            report.errors.append(RowError(line, _("Duplicate of line %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line

        row = target or Contact(stakeholder=stakeholder)
        if target is not None and stakeholder is not None:
            fields["stakeholder_id"] = stakeholder.pk
        before = {name: getattr(row, name) for name in fields}
        changed = [name for name in fields if target is None or before[name] != fields[name]]
        for name, value in fields.items():
            setattr(row, name, value)
        row.stakeholder = by_pk[row.stakeholder_id]
        messages = _rule_messages(row, names)
        if messages:
            report.errors.append(RowError(line, " ".join(messages)))
            continue
        if target is None:
            planned.append((line, row, RowChange.NEW, []))
        elif changed:
            labels = [
                (str(Contact._meta.get_field(n.removesuffix("_id")).verbose_name), before[n], fields[n])
                for n in changed
            ]
            planned.append((line, row, RowChange.CHANGED, labels))
        else:
            planned.append((line, row, RowChange.UNCHANGED, []))
    report.errors.extend(table.errors)
    if report.rows == 0 and not report.errors:
        report.errors.append(RowError(1, _("The file has no data rows.")))
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report
    for line, row, action, labels in planned:
        report.changes.append(RowChange(line=line, action=action, label=str(row), fields=labels))
    report.created = sum(1 for *_rest, action, _labels in planned if action == RowChange.NEW)
    report.updated = sum(1 for *_rest, action, _labels in planned if action == RowChange.CHANGED)
    report.unchanged = sum(1 for *_rest, action, _labels in planned if action == RowChange.UNCHANGED)
    if not dry_run:
        with transaction.atomic():  # each through save(), so the history records it
            for _line, row, action, _labels in planned:
                if action != RowChange.UNCHANGED:
                    row.save()
    return report


def _rule_messages(row: Contact, names: dict[str, str], *, skip: set[str] = frozenset()) -> list[str]:
    """The model's rules broken by a row, each message naming its column as the file heads it."""
    try:
        validate_row(row, resolved=("stakeholder",))
    except ValidationError as error:
        return [
            f"{names.get(field, field)}: {message}" if field != "__all__" else message
            for field, found in error.message_dict.items()
            if field not in skip
            for message in found
        ]
    return []


GOOGLE_IGNORED = (
    "Given Name",
    "Additional Name",
    "Family Name",
    "Nickname",
    "Notes",
    "Group Membership",
    "E-mail 1 - Type",
    "Phone 1 - Type",
    "Organization 1 - Type",
    "Birthday",
)
GOOGLE_CONTACTS = Profile(
    name="google-contacts",
    kind="contacts",
    label=gettext_lazy("Google Contacts export (CSV)"),
    mapping={
        label_key("Name"): "name",
        label_key("Organization 1 - Name"): "stakeholder",
        label_key("Organization 1 - Title"): "position",
        label_key("E-mail 1 - Value"): "email",
        label_key("Phone 1 - Value"): "phone",
        **dict.fromkeys(map(label_key, GOOGLE_IGNORED), ""),
    },
    builtin=True,
)

register(
    ImportKind(
        name="contacts",
        label=gettext_lazy("Contacts (people of stakeholders)"),
        targets=tuple(Target(column, column, required=column in CONTACT_REQUIRED) for column in CONTACT_FIELDS),
        run=contacts_import,
        aliases=_aliases,
        may_import=may_import_contacts,
        profiles=(GOOGLE_CONTACTS,),
    )
)
