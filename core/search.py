"""Accent- and case-blind search: one `fold()` for stored names and for what people type.

People type "alcaldia" for "Alcaldía", "CERREJON" for "Cerrejón", and a Mac sends "Fundación" with
the accent as a separate combining mark. A model keeps, beside each name people search for, a
`FoldedField`: the name without accents, case-folded, its spaces collapsed, written whenever the
row is (save, `bulk_create`, `bulk_update`, `update()` with a plain value, `core.bulk.bulk_insert`);
the name itself is stored in Unicode NFC, so the same name typed on two machines is one string.

The FilterSets' `q`, the record picker (which is that `q`) and the admin search all build their
condition here (`search_condition`): what was typed is cut into words (a quoted phrase is one
word), and every word must be found, in any order, in one of the searched fields ("uribia
alcaldia" finds "Alcaldía de Uribia"). A word is compared folded with the folded column: anywhere
in the name (`contains`) from three characters on, at the start of one of the name's words
(`startswith`, or `contains` with a space before it) when shorter, so "de" or "12" narrows a search
rather than matching nearly every row. A search of short words only ("al", "de") is the start
of the name, as a picker's first letters are. The same SQL runs on SQLite and PostgreSQL. There a
trigram GIN index on the folded column serves the words (those of three characters or more in one
index scan, which intersects them itself; a short word through the trigrams pg_trgm pads at a
word's start, " 12", which the planner leaves out when they would not narrow the rows), and a
B-tree in pattern order serves a search of short words only as a range (stakeholders 0003 and
0005, through `core.operations.RunSQLOnPostgreSQL`).

Matches come best first (`search_rank`): the name that is exactly what was typed, then names that
start with it, then the others, each group in the list's own order, or in the order the page or the
API's `?ordering=` chooses (`search_ordering` keeps the rank first). Ranking first also keeps
PostgreSQL's plan stable: no index gives that order, so the page is read off the trigram index and
sorted, never by walking the name index and filtering every row until fifty match (a common word
whose names sort late took 34 ms at 500,000 stakeholders that way). The sort is of the matches of
the searched table alone: a page of a search picks its ids first and joins only those rows
(`RankedPages`, on the querysets of the models searched at scale).
"""

import re
import unicodedata
from collections.abc import Callable
from functools import reduce
from operator import and_, or_

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.sql.constants import LOUTER
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query
from django.db.models.sql.where import WhereNode
from django.utils.text import smart_split, unescape_string_literal
from rapidfuzz import fuzz

#: Trigram indexes find a word anywhere from this length on; a shorter word must start a word of the name.
SHORT_WORD = 3
#: The words of one search that count: more narrow nothing a person would type, and each costs a condition.
MAX_WORDS = 8

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


#: The combining marks of Latin accents (U+0300-U+036F), removed by one regular expression: a Spanish
#: name is then plain ASCII, and only other scripts' marks are looked up one character at a time
#: (which costs several times more, on every name an import or a bulk write folds).
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(code) for code in range(0x300, 0x370) if unicodedata.combining(chr(code))) + "]+"
)


def fold(text: str | None) -> str:
    """The text as search compares it: no accents or other marks, case-folded, single spaces."""
    if not text:
        return ""
    bare = unicodedata.normalize("NFKD", text)
    if not bare.isascii():
        bare = _LATIN_MARKS.sub("", bare)
        if not bare.isascii():
            bare = "".join(char for char in bare if not unicodedata.combining(char))
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


def search_words(term: str | None) -> list[str]:
    """The words typed, each once (compared folded); a quoted phrase ("alcaldia de") is one word."""
    words, seen = [], set()
    for word in smart_split(term or ""):
        if len(word) > 1 and word[0] in "\"'" and word[-1] == word[0]:
            word = unescape_string_literal(word)
        folded = fold(word)
        if folded and folded not in seen:
            seen.add(folded)
            words.append(" ".join(word.split()))
    return words[:MAX_WORDS]


def word_lookups(model, path: str, word: str, *, start_only: bool = False) -> list[tuple[str, str]]:
    """The lookups and values (any of them) that find one word in `path`: anywhere in it from
    SHORT_WORD characters on; when shorter, at the start of one of its words (`startswith`, or
    `contains` with a space before it); `start_only`: at the start of the value."""
    lookup, value = path_lookup(model, path, word)
    stem, _sep, contains = lookup.rpartition("__")
    starts = (f"{stem}__{'i' if contains == 'icontains' else ''}startswith", value)
    if start_only:
        return [starts]
    if len(fold(word)) < SHORT_WORD:
        return [starts, (lookup, f" {value}")]
    return [(lookup, value)]


def search_condition(model, fields, term: str | None, *, condition: Callable[[str, str], Q] | None = None) -> Q | None:
    """Every word of `term` in one of `fields` (paths from `model`), or None when nothing was typed.

    A field marked `=` (`=acronym`) is compared whole with what was typed, case aside: "ANM" is an
    acronym, not a part of one. `condition` builds each lookup's Q (the FilterSets read another
    table's fields through its visible rows).
    """
    condition = condition or (lambda path, value: Q(**{path: value}))
    words = search_words(term)
    if not words or not fields:
        return None
    whole = [field.removeprefix("=") for field in fields if field.startswith("=")]
    parts = [field for field in fields if not field.startswith("=")]
    # Only short words ("de", "al", "ur"): too common at a word's start to narrow anything, so they
    # are the start of the name, as a picker's first letters are ("al" offers "Alcaldía ...").
    start_only = all(len(fold(word)) < SHORT_WORD for word in words)
    if start_only:
        words = [" ".join(words)]
    alternatives = []
    if parts:
        per_word = (
            reduce(
                or_,
                (
                    condition(path, value)
                    for field in parts
                    for path, value in word_lookups(model, field, word, start_only=start_only)
                ),
            )
            for word in words
        )
        alternatives.append(reduce(and_, per_word))
    typed = " ".join(search_words(term))
    alternatives += [condition(f"{field}__iexact", typed) for field in whole]
    return reduce(or_, alternatives)


def search_rank(model, term: str | None) -> Case | None:
    """0 for the name that is exactly the search, 1 for a name that starts with it, 2 for the others;
    None when the model keeps no folded name."""
    column = folded_column(model, "name")
    typed = " ".join(fold(word) for word in search_words(term))
    if column is None or not typed:
        return None
    return Case(
        When(**{column: typed}, then=Value(0)),
        When(**{f"{column}__startswith": typed}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


#: The alias a searched queryset orders by first (`ranked`).
RANK = "search_rank"


def ranked(queryset: models.QuerySet, term: str | None) -> models.QuerySet:
    """The rows best matches first (`search_rank`), then in the queryset's own order."""
    rank = search_rank(queryset.model, term)
    if rank is None:
        return queryset
    order = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.alias(**{RANK: rank}).order_by(RANK, *order)


class RankedPages:
    """A QuerySet mixin: a page of a ranked search (`ranked`) picks its rows on the searched table
    alone, then reads them with the queryset's joins and columns.

    A search's order (the rank) is served by no index, so the page sorts every match; written as
    one query, PostgreSQL joins every match to the tables the page shows (the country, the
    organisation) before sorting, or reads the whole table in parallel to sort first (35 to 60 ms
    for "alcaldia" at 50,000 stakeholders with the API's and the directory's joins). Sliced here,
    only the page's ids are sorted among the matches, and only the page's rows are joined: the
    page costs about what counting the matches costs. The rows and their order are the plain
    query's (bench and core tests compare both); `pk` breaks ties so a page is the same set either way.
    """

    def __getitem__(self, k):
        if not self._picks_page_first(k):
            return super().__getitem__(k)
        order = tuple(self.query.order_by)
        if not {"pk", "-pk", self.model._meta.pk.attname, f"-{self.model._meta.pk.attname}"} & set(order):
            order = (*order, "pk")
        ordered = self.order_by(*order)
        page = models.QuerySet.__getitem__(ordered.values("pk"), k)
        _keep_only_joins_used_by(page.query, [page.query.where, *page.query.annotations.values()])
        rows = ordered._chain()
        # The page's ids already answer the search: the query that reads them repeats no condition
        # (the planner would estimate each again), and joins only what it selects.
        rows.query.where = WhereNode()
        _keep_only_joins_used_by(rows.query, [*rows.query.select, *rows.query.annotations.values()], conditions=False)
        return rows.filter(pk__in=page)

    def _picks_page_first(self, k) -> bool:
        if not isinstance(k, slice) or k.step is not None or k.stop is None or self._result_cache is not None:
            return False
        if RANK not in self.query.order_by or self.query.is_sliced or self.query.combinator or self.query.distinct:
            return False
        # The ids alone (the picker's subquery) have nothing to join or carry through the sort.
        fields = getattr(self, "_fields", None) or ()
        return not (fields and set(fields) <= {"pk", self.model._meta.pk.attname})


def _keep_only_joins_used_by(query, expressions, *, conditions: bool = True) -> None:
    """Leave out of `query`'s FROM the joins none of `expressions` reads (and no join they need).

    A page's ids query inherits the joins its queryset made for the columns it selected
    (`values("country__code")`); its ids need none of them. Joins the ordering or `select_related`
    need are set up again when the query is compiled. While the query keeps its `conditions`, only
    joins that cannot change its rows are left out: a LEFT join along a single-valued relation, or
    an INNER join along a required foreign key. Without them (the query that reads the page's ids),
    every join is, since the joins the conditions made have done their work in the ids."""
    needed = {query.base_table} | {column.alias for column in Query._gen_cols(expressions, include_external=True)}
    for alias in list(needed):
        join = query.alias_map.get(alias)
        while isinstance(join, Join) and join.parent_alias not in needed:
            needed.add(join.parent_alias)
            join = query.alias_map.get(join.parent_alias)
    for alias, join in query.alias_map.items():
        if alias in needed or not isinstance(join, Join) or (conditions and not _keeps_the_rows(join)):
            continue
        query.alias_refcount[alias] = 0


def _keeps_the_rows(join: Join) -> bool:
    field = join.join_field
    if join.join_type == LOUTER:
        return not getattr(field, "many_to_many", False) and not getattr(field, "one_to_many", False)
    # An INNER join keeps every row when it follows a foreign key that may not be null.
    return getattr(field, "many_to_one", False) and not field.null


def search_ordering(queryset: models.QuerySet, ordering) -> tuple:
    """The ordering a page or the API asks for, after the search's rank when the rows are a search's."""
    ordering = tuple(ordering)
    if RANK in queryset.query.annotations and RANK not in ordering:
        return (RANK, *ordering)
    return ordering
