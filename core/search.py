"""Accent- and case-blind search: one `fold()` for stored names and for what people type.

People type "alcaldia" for "Alcaldía", "CERREJON" for "Cerrejón", and a Mac sends "Fundación" with
the accent as a separate combining mark. A model keeps, beside each name people search for, a
`FoldedField`: the name without accents, case-folded, its spaces collapsed, written whenever the
row is (save, `bulk_create`, `bulk_update`, `update()` with a plain value, `core.bulk.bulk_insert`);
the name itself is stored in Unicode NFC, so the same name typed on two machines is one string.

The FilterSets' `q`, the record picker (which is that `q`) and the admin search compare the
folded term with the folded column (`contains`): the same SQL on SQLite and PostgreSQL, where a
trigram GIN index on the column serves it (migrations use `core.operations.RunSQLOnPostgreSQL`).
"""

import unicodedata

from django.db import models
from rapidfuzz import fuzz

#: How alike two folded names must be (0-100, rapidfuzz's token-set ratio) to be called possible duplicates:
#: "Cerrejon" and "Cerrejón Limited", "Fundacion Sol Wayu" and "Fundación Sol Wayuu", not two
#: different mayors' offices ("Alcaldía de Uribia", "Alcaldía de Riohacha").
SIMILAR_SCORE = 90


def similarity(a: str, b: str) -> float:
    """How alike two names are once folded, 0 to 100."""
    return fuzz.token_set_ratio(fold(a), fold(b))


def narrowing_words(text: str, *, count: int = 3) -> list[str]:
    """The longest words of the folded text: a name that shares none of them is not a near duplicate,
    so the database narrows the candidates with them (`search_name` contains one) before scoring."""
    words = fold(text).split()
    long_words = [word for word in words if len(word) >= 4] or words
    return sorted(set(long_words), key=lambda word: (-len(word), word))[:count]


def nfc(text: str) -> str:
    """The text in Unicode NFC (composed accents): how every name is stored."""
    return unicodedata.normalize("NFC", text) if text else text


def fold(text: str | None) -> str:
    """The text as search compares it: no accents or other marks, case-folded, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


class FoldedField(models.CharField):
    """The folded copy of the model's `source` field, for search; never edited by hand."""

    def __init__(self, *args, source: str = "name", **kwargs) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("editable", False), ("default", ""), ("blank", True)):
            if kwargs.get(key, value) == value:
                kwargs.pop(key, None)
        if self.editable:
            kwargs["editable"] = True
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # bulk_create and save() both ask every field for its value here.
        value = fold(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def folded_fields(model) -> list[FoldedField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, FoldedField)]


def folded_column(model, name: str) -> str | None:
    """The folded field that holds `name`'s search form, if the model keeps one."""
    return next((field.name for field in folded_fields(model) if field.source == name), None)


def normalise(obj: models.Model) -> None:
    """Store the row's searched names in NFC and their folded copies beside them."""
    for field in folded_fields(type(obj)):
        value = getattr(obj, field.source)
        if isinstance(value, str):
            setattr(obj, field.source, nfc(value))
        setattr(obj, field.attname, fold(value))


def normalised_update_fields(model, fields) -> list[str]:
    """`bulk_update`'s field names with the folded copy of every searched name among them."""
    fields = list(fields)
    for field in folded_fields(model):
        if field.source in fields and field.name not in fields:
            fields.append(field.name)
    return fields


def normalised_update_values(model, values: dict) -> dict:
    """`update()`'s values with each searched name in NFC and its folded copy beside it."""
    values = dict(values)
    for field in folded_fields(model):
        value = values.get(field.source)
        if isinstance(value, str):
            values[field.source] = nfc(value)
            values[field.name] = fold(value)
        elif field.source in values and field.name not in values:  # bulk_update sends both, as CASEs
            raise ValueError(f"update({field.source}=...) needs a plain value: {field.name} is its folded copy.")
    return values


def path_lookup(model, path: str, term: str) -> tuple[str, str]:
    """The lookup and value that search `path` (`name`, `stakeholder__name`) for `term`: the folded
    column with the folded term where the model at the end of the path keeps one, else `icontains`."""
    *steps, last = path.split("__")
    there = model
    for step in steps:
        there = there._meta.get_field(step).related_model
    column = folded_column(there, last)
    if column is None:
        return f"{path}__icontains", term
    return "__".join([*steps, column]) + "__contains", fold(term)
