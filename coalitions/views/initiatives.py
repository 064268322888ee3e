"""Initiatives: list, detail with the stakeholder map, create and edit, and recording an assessment."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.access import is_staff_member, staff_required
from core.expressions import count_of
from core.parsing import parse_id
from core.short_tables import kept, query_text, table_version
from core.svg import svg_download
from core.validation import constraint_message
from core.versions import rendering_key, row_values
from core.views import get_editable_or_403, get_visible_or_404
from countries.models import Country, Region

from ..charts import DRAWING_TIMEOUT, map_key, map_points, stakeholder_map, stance_legend
from ..filters import InitiativeFilterSet
from ..forms import AssessmentForm, InitiativeForm, MapFilterForm, RollupPeriodForm
from ..models import Assessment, Coalition, Engagement, Initiative, LearningNote
from ..moves import Move, Round, moves, rounds
from ..rollup import rollup_page

PAGE_SIZE = 25
#: Engagements and learning notes of the initiative itself shown on its page.
RECENT = 20


@staff_required
def initiative_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        Initiative.objects.visible_to(request.user)
        .select_related("country")
        .annotate(coalition_count=Count("coalitions", distinct=True))
        .order_by("country__name", "name", "pk")
    )
    filterset = InitiativeFilterSet(request.GET, queryset=queryset, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coalitions/initiative_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": is_staff_member(request.user),
        },
    )


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    """The initiative the user may see, with `can_edit` (whether they may change it) read in the same query."""
    editable = Initiative.objects.editable_by(request.user).filter(pk=OuterRef("pk"))
    return get_visible_or_404(
        Initiative.objects.select_related("country", "lead").annotate(can_edit=Exists(editable)), request.user, pk=pk
    )


@staff_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The initiative's facts, objective and coalitions, in four queries once its lists are kept (six
    otherwise). The stakeholder map, the plan objectives with the indicators and the recent activity are
    panels the page loads after its first paint (htmx), each a page of its own linked for a browser
    without script."""
    initiative = _initiative(request, pk)
    user = request.user
    coalitions = (
        Coalition.objects.visible_to(user)
        .filter(initiative=initiative)
        .select_related("parent")
        .only("name", "level", "status", "parent", "parent__name")
        .order_by("level", "name")
    )
    panels = _panel_urls(initiative)
    # The map panel shows what the page's query string (the map filter, a round) asks.
    query = request.GET.urlencode()
    if query:
        panels["map"] += f"?{query}"
    context = {
        "initiative": initiative,
        "can_edit": initiative.can_edit,
        "show_map": is_staff_member(user),
        "panels": panels,
        **_kept_lists(initiative, coalitions),
    }
    return render(request, "coalitions/initiative_detail.html", context)


#: The tables whose rows the kept parts of an initiative's page show: its regions (the links to them
#: are its own rows) and the countries that order them, and its coalitions with their linked coalitions.
KEPT_LIST_TABLES = (Initiative, Coalition, Region, Country)


def _kept_lists(initiative: Initiative, coalitions) -> dict:
    """The parts of an initiative's page drawn from many rows, kept in the cache under the versions of
    the tables they show (`KEPT_LIST_TABLES`), which every write drops: the regions' names and the
    rendered list of its coalitions. The key names the reader's scope and the initiative (the
    coalitions' SQL), so a reader finds them without reading a row, and the rows are read only when
    they are not found."""
    key = rendering_key(
        "coalitions/initiative_detail", table_version(*KEPT_LIST_TABLES), query_text(coalitions), initiative.pk
    )

    def draw() -> dict:
        context = {"initiative": initiative, "coalitions": _with_labels(coalitions)}
        return {
            "regions": [str(region) for region in initiative.regions.all()],
            "coalition_list": render_to_string("coalitions/includes/initiative_coalitions.html", context),
        }

    return kept(key, draw)


def _with_labels(coalitions) -> list[Coalition]:
    """The coalitions with their level and status labels, each label translated once per rendering
    (`get_FOO_display()` rebuilds and translates the whole choice list on every call)."""
    levels = {value: str(label) for value, label in Coalition.Level.choices}
    statuses = {value: str(label) for value, label in Coalition.Status.choices}
    rows = list(coalitions)
    for coalition in rows:
        coalition.level_label = levels.get(coalition.level, coalition.level)
        coalition.status_label = statuses.get(coalition.status, coalition.status)
    return rows


#: The panels of an initiative's page, loaded after its first paint: name -> its heading.
PANELS = {
    "map": gettext_lazy("Stakeholder map"),
    "indicators": gettext_lazy("Plan objectives and indicators"),
    "activity": gettext_lazy("Engagements and learning notes"),
}


def _panel_urls(initiative: Initiative) -> dict[str, str]:
    return {name: reverse(f"coalitions:initiative_{name}", kwargs={"pk": initiative.pk}) for name in PANELS}


def _panel(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """A panel of the initiative page: bare for the page's htmx request, else a page of its own."""
    template = f"coalitions/includes/initiative_{name}.html"
    if request.htmx:
        return render(request, template, context)
    page = {**context, "panel": template, "title": PANELS[name], "with_charts": name == "map"}
    return render(request, "coalitions/initiative_panel.html", page)


@staff_required
def initiative_map(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the initiative page: the stakeholder map, its filter, its rounds and its table (staff only).

    The panel's rendering is kept in the cache under the map's own key (`_map_choice`: the versions of
    the tables it shows, the filter's values and today), whether the reader may reassess, and the
    filter's fields as typed (a bound form shows them, and their errors); a reader then finds it
    without reading the kept points or drawing the panel again.
    """
    initiative = _initiative(request, pk)
    if not is_staff_member(request.user):
        raise Http404
    can_edit = initiative.can_edit
    choice = _map_choice(request, initiative, with_rounds=True)
    typed = [(name, choice.form.data.getlist(name)) for name in choice.form.fields] if choice.form.is_bound else None
    key = rendering_key("coalitions/initiative_map", choice.key, can_edit, typed)

    def draw() -> str:
        shown = _map(choice, initiative, request.user)
        context = {
            "initiative": initiative,
            "can_edit": can_edit,
            "filter_form": shown.form,
            "points": shown.points,
            "moves": shown.moves,
            "unmoved": sum(1 for move in shown.moves or () if not move.moved and not move.is_new),
            "since": shown.since,
            "rounds": [
                (found, "?" + _chosen_query(shown.form, since=found.day) + "#map") for found in shown.rounds or ()
            ],
            "map_svg": shown.drawing.svg,
            "map_svg_url": _map_svg_url(initiative, shown.form),
            "map_numbered": shown.drawing.numbered,
            "legend": stance_legend(),
        }
        return render_to_string("coalitions/includes/initiative_map_body.html", context)

    return _panel(request, "map", {"initiative": initiative, "map_panel": kept(key, draw)})


@staff_required
def initiative_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the initiative page: the plan objectives it pursues and its indicators with their progress."""
    initiative = _initiative(request, pk)
    return _panel(request, "indicators", {"initiative": initiative, "can_edit": initiative.can_edit})


@staff_required
def initiative_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the initiative page: its latest engagements and learning notes, each read newest first
    off an index of the initiative's rows, and the participants counted for the engagements shown only."""
    user = request.user
    # Nothing here is edited: the initiative alone, without `_initiative`'s can_edit.
    initiative = get_visible_or_404(Initiative.objects.all(), user, pk=pk)
    participants = Engagement.participants.through.objects.filter(engagement=OuterRef("pk"))
    engagements = list(
        Engagement.objects.visible_to(user)
        .filter(initiative=initiative)
        .only("occurred_on", "kind", "title")
        .annotate(participant_count=count_of(participants))
        .order_by("-occurred_on", "-pk")[:RECENT]
    )
    notes = list(
        LearningNote.objects.visible_to(user)
        .filter(initiative=initiative)
        .only("title", "created_at", "author__first_name", "author__last_name", "author__username")
        .select_related("author")[:RECENT]
    )
    context = {
        "initiative": initiative,
        "engagements": engagements,
        "notes": notes,
        # The panel is kept in the cache under a key of every value it shows (see _activity_key).
        "activity_key": _activity_key(engagements, notes),
    }
    return _panel(request, "activity", context)


def _activity_key(engagements: list[Engagement], notes: list[LearningNote]) -> str:
    """The cache key of the activity panel's rendering: every value of the rows it shows (the engagements
    with their participants' count, the notes with their authors' names), so an edit is another key."""
    return rendering_key(
        "coalitions/initiative_activity",
        [(row_values(engagement), engagement.participant_count) for engagement in engagements],
        [(row_values(note), row_values(note.author)) for note in notes],
    )


@dataclass(frozen=True)
class MapChoice:
    """What the map filter chose, and the key its map is kept under (see `map_key`)."""

    form: MapFilterForm
    sector: str
    as_of: datetime.date | None
    since: datetime.date | None
    with_rounds: bool
    title: str
    key: str


@dataclass(frozen=True)
class ShownMap:
    """What the map filter chose and what it shows: the points, their drawing and (with a comparison date)
    the moves; with the assessment rounds before the map's date when asked."""

    form: MapFilterForm
    points: list
    drawing: object
    moves: list[Move] | None
    as_of: datetime.date | None
    since: datetime.date | None
    rounds: list[Round] | None


def _map_choice(request: HttpRequest, initiative: Initiative, *, with_rounds: bool = False) -> MapChoice:
    """The map filter form, what it chose and the key of the map it asks for, read from nothing but the request."""
    filter_form = MapFilterForm(request.GET or None)
    filter_form.is_valid()  # the fields that are valid still apply
    chosen = getattr(filter_form, "cleaned_data", {})
    sector, as_of, since = chosen.get("sector", ""), chosen.get("as_of"), chosen.get("since")
    title = _("Stakeholder map: %(name)s") % {"name": initiative.name}
    # The moves name who assessed each actor: their users' table is read too.
    assessors = table_version(User) if since else ()
    # Today is in the key: the rounds offered are those before it.
    key = map_key(
        initiative, request.user, "shown", sector, as_of, since, assessors, with_rounds, timezone.localdate(), title
    )
    return MapChoice(filter_form, sector, as_of, since, with_rounds, title, key)


def _map(choice: MapChoice, initiative: Initiative, user) -> ShownMap:
    """The points the map filter selects and their drawing (page and download alike).

    Kept in the cache under `map_key`: reading and drawing a few hundred actors is most of the work,
    and the key changes with every write to the assessments or the stakeholders.
    """
    sector, as_of, since = choice.sector, choice.as_of, choice.since
    kept_map = cache.get(choice.key)
    if kept_map is None:
        found = None
        if since:
            found = moves(initiative=initiative, user=user, as_of=as_of, since=since, sector=sector)
            points = [move.map_point() for move in found]
        else:
            points = map_points(initiative=initiative, user=user, sector=sector, as_of=as_of)
        before = as_of or timezone.localdate()
        found_rounds = rounds(initiative=initiative, user=user, before=before) if choice.with_rounds else None
        kept_map = (points, stakeholder_map(points, title=choice.title), found, found_rounds)
        cache.set(choice.key, kept_map, DRAWING_TIMEOUT)
    points, drawing, found, found_rounds = kept_map
    return ShownMap(choice.form, points, drawing, found, as_of, since, found_rounds)


def _chosen_query(filter_form: MapFilterForm, **changes) -> str:
    """The map filter's valid values as a query string, with some changed."""
    chosen = {**getattr(filter_form, "cleaned_data", {}), **changes}
    values = {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in chosen.items()}
    return urlencode({name: value for name, value in values.items() if value})


def _map_svg_url(initiative: Initiative, filter_form: MapFilterForm) -> str:
    url = reverse("coalitions:initiative_map_svg", kwargs={"pk": initiative.pk})
    query = _chosen_query(filter_form)
    return f"{url}?{query}" if query else url


@staff_required
def initiative_map_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """The stakeholder map as an .svg file, with the same filter as the page, for slides and print."""
    initiative = get_visible_or_404(Initiative.objects.select_related("country"), request.user, pk=pk)
    drawing = _map(_map_choice(request, initiative), initiative, request.user).drawing
    name = slugify(_("stakeholder map") + " " + initiative.name) or "map"
    return svg_download(drawing.svg, f"{name}.svg")


@staff_required
def initiative_rollup(request: HttpRequest, pk: int) -> HttpResponse:
    """What the initiative's coalitions did in a period, side by side and in total."""
    initiative = get_visible_or_404(Initiative.objects.select_related("country"), request.user, pk=pk)
    period_form = RollupPeriodForm(request.GET or None)
    coalitions = Coalition.objects.visible_to(request.user).filter(initiative=initiative)
    figures, page = rollup_page(coalitions, period_form.period(), request.GET.get("page"))
    context = {"initiative": initiative, "period_form": period_form, "rollup": figures, "rollup_page": page}
    return render(request, "coalitions/initiative_rollup.html", context)


@staff_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        initiative = form.save()
        messages.success(request, _("Initiative created."))
        return redirect(initiative)
    return render(request, "coalitions/initiative_form.html", {"form": form})


@staff_required
def initiative_update(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_editable_or_403(Initiative.objects, request.user, pk=pk)
    form = InitiativeForm(request.POST or None, instance=initiative, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Initiative saved."))
        return redirect(initiative)
    return render(request, "coalitions/initiative_form.html", {"form": form, "initiative": initiative})


@staff_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a new dated assessment; the map then shows the actor's move from the previous one."""
    initiative = get_editable_or_403(Initiative.objects.select_related("country"), request.user, pk=pk)
    instance = Assessment(initiative=initiative, assessed_by=request.user)
    stakeholder = request.GET.get("stakeholder")
    initial = {"stakeholder": stakeholder} if parse_id(stakeholder) else {}
    form = AssessmentForm(request.POST or None, instance=instance, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Someone recorded the same actor on the same day between our check and our write.
            form.add_error(None, constraint_message(Assessment, "assessment_one_per_day"))
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(reverse("coalitions:initiative_detail", kwargs={"pk": initiative.pk}) + "#map")
    return render(request, "coalitions/assessment_form.html", {"form": form, "initiative": initiative})
