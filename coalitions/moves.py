"""Who moved: where each actor stood in an initiative on one date, and how far it moved since another.

The one place that answers "who moved since our last round?" for the initiative's map page and the
API map alike. A position on a date is the actor's newest assessment on or before it
(`AssessmentQuerySet.as_of`); the move is the Euclidean distance between the two positions over
power, capabilities, interest and stance. Two queries whatever the number of actors, plus one for
the assessment rounds offered as quick choices.
"""

import datetime
import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
from core.short_tables import kept, table_version
from core.versions import rendering_key
from stakeholders.models import Stakeholder

from .charts import MapPoint
from .models import Assessment, Initiative

#: The dimensions a move is measured over, in the order they are shown, with their column labels.
DIMENSIONS = (
    ("power", _("Power")),
    ("capabilities", _("Capabilities")),
    ("interest", _("Interest")),
    ("stance", _("Stance")),
)


@dataclass(frozen=True)
class Change:
    """One dimension of a move: the value at the comparison date, the value at the chosen date."""

    name: str
    label: str
    before: int | None
    now: int

    @property
    def delta(self) -> int | None:
        return None if self.before is None else self.now - self.before

    def _shown(self, value: int | None) -> str:
        if value is None:
            return ""
        return str(Assessment.Stance(value).label) if self.name == "stance" else str(value)

    @property
    def before_shown(self) -> str:
        """The value as the page shows it: a stance in words, a score as its number."""
        return self._shown(self.before)

    @property
    def now_shown(self) -> str:
        return self._shown(self.now)


@dataclass(frozen=True)
class Move:
    """An actor's position at the chosen date (`now`) and at the comparison date (`before`, None if unassessed)."""

    now: Assessment
    before: Assessment | None

    @property
    def stakeholder(self):
        return self.now.stakeholder

    @property
    def is_new(self) -> bool:
        """First assessed after the comparison date: it has no earlier position to move from."""
        return self.before is None

    @property
    def changes(self) -> list[Change]:
        return [
            Change(
                name=name,
                label=str(label),
                before=None if self.before is None else getattr(self.before, name),
                now=getattr(self.now, name),
            )
            for name, label in DIMENSIONS
        ]

    @property
    def distance(self) -> float | None:
        """How far the actor moved (None when it was not assessed at the comparison date)."""
        return distance(self.now, self.before)

    @property
    def moved(self) -> bool:
        return bool(self.distance)

    def map_point(self) -> MapPoint:
        """The actor on the map at the chosen date, with an arrow from where it stood at the comparison date."""
        stakeholder, before = self.now.stakeholder, self.before
        return MapPoint(
            stakeholder_id=stakeholder.pk,
            name=str(stakeholder),
            url=stakeholder.get_absolute_url(),
            sector=stakeholder.get_sector_display(),
            assessed_on=self.now.assessed_on,
            power=self.now.power,
            interest=self.now.interest,
            capabilities=self.now.capabilities,
            stance=self.now.stance,
            previous_on=before and before.assessed_on,
            previous_power=before and before.power,
            previous_interest=before and before.interest,
            previous_stance=None if before is None else before.stance,
            assessment_id=self.now.pk,
        )


def dates_error(*, as_of: datetime.date | None, since: datetime.date | None) -> str | None:
    """Why a comparison of these dates cannot be made (the page's form and the API both ask), or None."""
    if since is not None and since >= (as_of or timezone.localdate()):
        return str(_("The comparison date must be before the date the map shows."))
    return None


def positions(*, initiative: Initiative, user, on: datetime.date | None, sector: str = ""):
    """Each visible actor's newest assessment in the initiative on or before `on` (today's when None)."""
    assessments = Assessment.objects.visible_to(user).filter(initiative=initiative)
    assessments = assessments.latest() if on is None else assessments.as_of(on)
    return assessments.filter(stakeholder__sector=sector) if sector else assessments


def _value(position, name: str) -> int:
    """A dimension of a position: an Assessment, or an assessment's row as the API builds it."""
    return position[name] if isinstance(position, dict) else getattr(position, name)


def deltas(now, before) -> dict[str, int] | None:
    """Each dimension's change from `before` to `now` (None when there is no earlier position)."""
    if before is None:
        return None
    return {name: _value(now, name) - _value(before, name) for name, _label in DIMENSIONS}


def distance(now, before) -> float | None:
    """The Euclidean distance between two positions over power, capabilities, interest and stance."""
    changes = deltas(now, before)
    return None if changes is None else math.sqrt(sum(delta**2 for delta in changes.values()))


def order_key(*, moved_by: float | None, name: str, pk: int) -> tuple:
    """Who moved furthest first, then actors assessed for the first time, then those that stayed; by name within."""
    group = 0 if moved_by else 1 if moved_by is None else 2
    return (group, -(moved_by or 0), name.lower(), pk)


def _order(move: Move) -> tuple:
    return order_key(moved_by=move.distance, name=str(move.stakeholder), pk=move.stakeholder.pk)


def moves(
    *, initiative: Initiative, user, as_of: datetime.date | None, since: datetime.date, sector: str = ""
) -> list[Move]:
    """Every actor assessed by `as_of` with its move since `since`, furthest first (two queries)."""
    where = {"initiative": initiative, **({"stakeholder__sector": sector} if sector else {})}
    return moves_where(user=user, as_of=as_of, since=since, **where)


def moves_where(*, user, as_of: datetime.date | None, since: datetime.date, **where) -> list[Move]:
    """The moves of the assessments matching `where` (several initiatives, a country's), furthest first.

    Two queries whatever the number of initiatives: a position is each (actor, initiative) pair's.
    """
    visible = Assessment.objects.visible_to(user).filter(**where)
    now = (visible.latest() if as_of is None else visible.as_of(as_of)).select_related(
        "stakeholder", "assessed_by", "initiative"
    )
    before = {
        (assessment.stakeholder_id, assessment.initiative_id): assessment
        for assessment in visible.as_of(since).only(
            "id", "stakeholder_id", "initiative_id", "assessed_on", *(name for name, _label in DIMENSIONS)
        )
    }
    return sorted((Move(now=a, before=before.get((a.stakeholder_id, a.initiative_id))) for a in now), key=_order)


class Moved(Sequence):
    """The actors whose position changed since `since` (or who were first assessed since), furthest
    first as `moves_where` orders them, read from the database only when iterated: a page of a
    period report shows fifty of a country's thousands, and its workbook all of them.

    The order is found from a few columns of the assessments made since `since` (not from every
    position, which hardly any moved) and kept in the cache under the tables' versions. A slice is
    another `Moved`, of those moves alone; iterating one loads its assessments, with their actor,
    initiative and assessor, in one query (once).
    """

    def __init__(self, order: array):
        # (now, before) assessment ids one after the other, before 0 for an actor first assessed since.
        self._order = order
        self._loaded: list[Move] | None = None

    @property
    def ids(self) -> bytes:
        """The moves' assessments, for the key of what is drawn from them (with their tables' versions)."""
        return self._order.tobytes()

    def __len__(self) -> int:
        return len(self._order) // 2

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("A slice of moves is one run of them.")
            return Moved(self._order[2 * start : 2 * max(start, stop)])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        (move,) = self[index : index + 1]
        return move

    def __iter__(self) -> Iterator[Move]:
        if self._loaded is None:
            self._loaded = self._load()
        return iter(self._loaded)

    def __eq__(self, other) -> bool:
        return isinstance(other, Moved) and self._order == other._order

    __hash__ = None

    def _load(self) -> list[Move]:
        pairs = list(zip(self._order[::2], self._order[1::2], strict=True))
        if not pairs:
            return []
        ids = {pk for pair in pairs for pk in pair if pk}
        rows = Assessment.objects.filter(pk__in=ids).select_related("stakeholder", "assessed_by", "initiative")
        found = {assessment.pk: assessment for assessment in rows}
        # A row deleted since the order was kept dropped the tables' version: the next request orders again.
        return [Move(now=found[now], before=found.get(before)) for now, before in pairs if now in found]

    def values(self, *fields: str) -> list[tuple[dict, dict | None]]:
        """Each move's assessments (now, before: None for an actor first assessed since) as `values()`
        rows of `fields` with their `pk`, in order, in one query: what lists thousands of moves (a
        period report's workbook) without building an Assessment, its actor and its initiative each."""
        pairs = list(zip(self._order[::2], self._order[1::2], strict=True))
        if not pairs:
            return []
        ids = {pk for pair in pairs for pk in pair if pk}
        found = {row["pk"]: row for row in Assessment.objects.filter(pk__in=ids).order_by().values("pk", *fields)}
        return [(found[now], found.get(before)) for now, before in pairs if now in found]


def moved_where(*, user, as_of: datetime.date | None, since: datetime.date, **where) -> Moved:
    """The moves of `moves_where` that moved, in its order: the actors whose position changed since
    `since`, and those first assessed since (a period report's "assessments that moved")."""
    # Staff read every assessment, so the order depends on `where` and the dates alone; anyone
    # else's is their own. Made without building the query, which costs more than the lookup.
    scope = "staff" if is_staff_member(user) else f"user:{getattr(user, 'pk', None)}"
    asked = sorted((lookup, getattr(value, "pk", value)) for lookup, value in where.items())
    key = "moved-order:" + rendering_key(table_version(Assessment, Stakeholder, Initiative), scope, asked, as_of, since)
    return Moved(kept(key, lambda: _moved_order(_moved_rows(user=user, as_of=as_of, since=since, **where))))


def _moved_rows(*, user, as_of: datetime.date | None, since: datetime.date, **where) -> list[tuple]:
    """A few columns of each actor's position at `as_of` taken since `since`, with the id of its
    position at `since` (None if it had none): the only positions that can have moved."""
    visible = Assessment.objects.visible_to(user).filter(**where)
    now = visible.latest() if as_of is None else visible.as_of(as_of)
    # A position taken on or before `since` is the one it is compared with: it did not move.
    changed = now.filter(assessed_on__gt=since)
    before = visible.filter(
        stakeholder=OuterRef("stakeholder"), initiative=OuterRef("initiative"), assessed_on__lte=since
    ).order_by("-assessed_on")
    return list(
        changed.annotate(before_id=Subquery(before.values("pk")[:1])).values_list(
            "pk", "before_id", "stakeholder_id", "stakeholder__name", "stakeholder__acronym", *_NAMES
        )
    )


_NAMES = tuple(name for name, _label in DIMENSIONS)


def _moved_order(rows: list[tuple]) -> array:
    """The (now, before) ids of the rows that moved, in `moves_where`'s order, one after the other."""
    befores = {
        pk: dict(zip(_NAMES, values, strict=True))
        for pk, *values in Assessment.objects.filter(pk__in={row[1] for row in rows if row[1]}).values_list(
            "pk", *_NAMES
        )
    }
    keyed = []
    for pk, before_id, stakeholder_id, name, acronym, *values in rows:
        moved_by = distance(dict(zip(_NAMES, values, strict=True)), befores.get(before_id))
        if moved_by == 0:
            continue
        # By the actor's name as `str()` shows it, as `moves_where` orders.
        shown = Stakeholder.name_with_acronym(name, acronym)
        keyed.append((order_key(moved_by=moved_by, name=shown, pk=stakeholder_id), pk, before_id or 0))
    keyed.sort(key=lambda row: row[0])  # stable: ties keep the assessments' own order, as moves_where's
    return array("q", (pk for _key, now, before in keyed for pk in (now, before)))


@dataclass(frozen=True)
class Round:
    """A date on which actors of the initiative were assessed, and how many."""

    day: datetime.date
    count: int
    is_first: bool


#: Rounds offered as quick choices besides the first: the latest ones.
RECENT_ROUNDS = 5


def rounds(*, initiative: Initiative, user, before: datetime.date) -> list[Round]:
    """The first assessment round and the latest ones before `before`, oldest first (one query)."""
    days = list(
        Assessment.objects.visible_to(user)
        .filter(initiative=initiative, assessed_on__lt=before)
        .order_by()
        .values("assessed_on")
        .annotate(count=Count("id"))
        .order_by("assessed_on")
        .values_list("assessed_on", "count")
    )
    if not days:
        return []
    chosen = [days[0], *days[1:][-RECENT_ROUNDS:]]
    return [Round(day=day, count=count, is_first=index == 0) for index, (day, count) in enumerate(chosen)]
