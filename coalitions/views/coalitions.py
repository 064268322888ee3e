"""Coalitions: list, detail, create (with first members) and edit, members and the action plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from core.access import is_staff_member, staff_required
from core.expressions import count_of
from core.short_tables import kept, reader_scope, table_version
from core.validation import constraint_message
from core.versions import rendering_key
from core.views import get_editable_or_403, get_visible_or_404
from countries.models import Country, Region
from stakeholders.models import Stakeholder

from .. import services
from ..exports import DOWNLOADS
from ..filters import CoalitionFilterSet
from ..forms import (
    CoalitionCreateForm,
    CoalitionForm,
    CommitmentForm,
    MembershipEndForm,
    MembershipForm,
    MembershipRoleForm,
    RollupPeriodForm,
)
from ..models import (
    Coalition,
    Commitment,
    Engagement,
    Initiative,
    LearningNote,
    Membership,
    Outcome,
    keep_member_counts,
    kept_member_counts,
)
from ..rollup import coalition_rollup_coalitions, rollup

PAGE_SIZE = 25
#: Members listed per page on a coalition's page (current and former members alike).
MEMBERS_PAGE_SIZE = 50
#: The detail page lists this many recent engagements; the rest are a filter away in the API.
RECENT_ENGAGEMENTS = 20
#: What the members tables of a coalition's page show of each membership and its stakeholder.
MEMBER_COLUMNS = (
    "coalition_id",
    "role",
    "joined_on",
    "left_on",
    "stakeholder__name",
    "stakeholder__acronym",
    "stakeholder__sector",
)


@staff_required
def coalition_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        Coalition.objects.visible_to(request.user)
        .select_related("initiative__country", "parent")
        .annotate(members_active=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name", "pk")
    )
    filterset = CoalitionFilterSet(request.GET, queryset=queryset, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coalitions/coalition_list.html",
        {
            "filterset": filterset,
            "page": page,
            "can_create": is_staff_member(request.user),
            "download_tables": DOWNLOADS,
        },
    )


def _visible_coalition(request: HttpRequest, pk: int, queryset=None) -> Coalition:
    """The coalition the user may see (a 404 otherwise, as for a missing id), with `editable`
    (whether they may change it) in the same query: the page and each of its panels read it so."""
    queryset = Coalition.objects.all() if queryset is None else queryset
    editable = Exists(Coalition.objects.editable_by(request.user).filter(pk=OuterRef("pk")))
    return get_visible_or_404(queryset.annotate(editable=editable), request.user, pk=pk)


@staff_required
def coalition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A coalition's page: its facts and its members, a page at a time, in seven queries whatever
    its size, three once its parts are kept. The rest is in panels the page loads after its first
    paint (htmx), each a page of its own linked for a browser without script: its health and
    indicators, its action plan, its engagements, outcomes and learning notes, and (a national
    coalition) its local coalitions and their roll-up.

    Current members are read in (joined_on, id) order straight off `membership_open_page_idx`; both
    totals are counts annotated on the coalition, kept in the cache until the memberships change.

    What the page shows comes from the rows of `KEPT_LIST_TABLES`, so it is kept under their versions,
    which every write drops: the coalition as the reader may see it (with whether they may change it
    and its member counts), the parts of the page drawn from it and the rows of the first pages of
    members, which most readers ask for, in one part; the rows of any other pages asked for (or of
    the first, when the first part was drawn for another page) in another. Each key holds the SQL of
    the reader's scope (`visible_to` and `editable_by` of the coalitions, `visible_to` of its
    memberships): two readers share a part only when the same rows would be shown to both. A
    coalition out of sight is never kept: its 404 is raised afresh.
    """
    user = request.user
    versions = table_version(*KEPT_LIST_TABLES)
    members = Membership.objects.visible_to(user).filter(coalition_id=pk)
    scope = reader_scope(Coalition.objects.visible_to(user), Coalition.objects.editable_by(user), members)
    coalition, parts = kept(
        rendering_key("coalitions/coalition_detail", versions, pk, scope),
        lambda: _coalition_parts(request, pk, members),
    )
    pages = _member_pages(coalition, members, request.GET.get("page"), request.GET.get("former_page"))
    current, former, current_members, past_members = pages
    if current.number == former.number == 1 and "first_rows" in parts:
        rows = parts["first_rows"]
    else:
        key = rendering_key(
            "coalitions/coalition_detail:rows", versions, scope, current.number, former.number, coalition.editable
        )
        rows = kept(key, lambda: _member_rows(coalition, current_members, past_members))
    context = {
        "coalition": coalition,
        "members_page": current,
        "current_members": current_members,
        "former_page": former,
        "past_members": past_members,
        "can_edit": coalition.editable,
        "kept": {**parts, **rows},
    }
    if coalition.has_children:
        # A national coalition: its roll-up is a panel loaded after the page (htmx), for the period
        # asked here (the panel's form comes back to this page), so the page keeps its few queries.
        context["rollup_url"] = reverse("coalitions:coalition_rollup", kwargs={"pk": coalition.pk})
        context["rollup_query"] = urlencode(
            {name: request.GET[name] for name in ("start", "end") if name in request.GET}
        )
    return render(request, "coalitions/coalition_detail.html", context)


def _member_pages(coalition: Coalition, members, page, former_page) -> tuple:
    """The pages asked for of current and of former members (their totals are the coalition's), and
    their rows, read only when they are drawn (or a test looks at them)."""
    # Only the columns the members tables show.
    shown = members.select_related("stakeholder").only(*MEMBER_COLUMNS)
    current = _members_page(
        shown.filter(left_on__isnull=True).order_by("joined_on", "pk"), coalition.members_current, page
    )
    former = _members_page(
        shown.filter(left_on__isnull=False).order_by("-left_on", "-pk"), coalition.members_former, former_page
    )
    current_members = SimpleLazyObject(lambda: _with_labels(current.object_list) if coalition.members_current else [])
    past_members = SimpleLazyObject(lambda: _with_labels(former.object_list) if coalition.members_former else [])
    return current, former, current_members, past_members


#: The tables whose rows a coalition's page shows: its members and their stakeholders (names, acronyms,
#: sectors), the coalition, its parent and its children, and its initiative (its facts and shared goal),
#: its regions (the links to them are its own rows) and the countries that name the initiative's and
#: order the regions.
KEPT_LIST_TABLES = (Membership, Stakeholder, Coalition, Initiative, Region, Country)


def _coalition_parts(request: HttpRequest, pk: int, members) -> tuple[Coalition, dict]:
    """The coalition the reader may see (a 404 otherwise), with its member counts, whether it has local
    coalitions and whether the reader may change it, and the parts of its page only these change: its
    heading, facts and shared goal, its linked coalitions, the places of its panels, its downloads and
    its History panel (shown to every reader of a staff page), and the rows of its first pages of members."""
    coalitions = Coalition.objects.select_related("initiative__country", "parent").annotate(
        has_children=Exists(Coalition.objects.visible_to(request.user).filter(parent=OuterRef("pk")))
    )
    # The member counts grow with the coalition: counted with the coalition's query only when the
    # counts kept since the last change to the memberships are not found.
    counts = kept_member_counts(pk)
    coalition = _visible_coalition(request, pk, coalitions if counts else coalitions.with_member_counts())
    if counts:
        coalition.members_current, coalition.members_former = counts
    else:
        keep_member_counts(coalition)
    shown = {"coalition": coalition, "can_edit": coalition.editable, "panels": _panel_urls(coalition)}
    regions = [str(region) for region in coalition.regions.all()]
    footer = {**shown, "download_tables": DOWNLOADS, "request": request}
    parts = {
        "head": render_to_string("coalitions/includes/coalition_head.html", {**shown, "regions": regions}),
        "links": render_to_string("coalitions/includes/coalition_links.html", shown),
        "footer": render_to_string("coalitions/includes/coalition_footer.html", footer),
    }
    # The first pages' rows, when this reader asks for them: a reader of other pages reads only theirs.
    pages = _member_pages(coalition, members, request.GET.get("page"), request.GET.get("former_page"))
    current, former, current_members, past_members = pages
    if current.number == former.number == 1:
        parts["first_rows"] = _member_rows(coalition, current_members, past_members)
    return coalition, parts


def _member_rows(coalition: Coalition, current_members, past_members) -> dict[str, str]:
    """The rendered rows of a page of current and of former members, with the edit links when the reader may edit."""
    rows = {"can_edit": coalition.editable}
    return {
        "current": render_to_string(
            "coalitions/includes/coalition_current_members.html", {**rows, "memberships": current_members}
        ),
        "former": render_to_string(
            "coalitions/includes/coalition_former_members.html", {**rows, "memberships": past_members}
        ),
    }


#: The panels of a coalition's page, loaded after its first paint: name -> its heading.
PANELS = {
    "health": gettext_lazy("Health and indicators"),
    "plan": gettext_lazy("Action plan"),
    "records": gettext_lazy("Engagements, outcomes and learning notes"),
    "children": gettext_lazy("Local coalitions"),
}


def _panel_urls(coalition: Coalition) -> dict[str, str]:
    return {name: reverse(f"coalitions:coalition_{name}", kwargs={"pk": coalition.pk}) for name in PANELS}


def _panel(request: HttpRequest, name: str, context: dict) -> HttpResponse:
    """A panel of the coalition page: bare for the page's htmx request, else a page of its own."""
    template = f"coalitions/includes/coalition_{name}.html"
    if request.htmx:
        return render(request, template, context)
    return render(request, "coalitions/coalition_panel.html", {**context, "panel": template, "title": PANELS[name]})


@staff_required
def coalition_health(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the coalition page: its health figures (kept in the cache, `Coalition.health`), its
    indicators and the plan objectives it pursues."""
    coalition = _visible_coalition(request, pk, Coalition.objects.select_related("initiative"))
    context = {"coalition": coalition, "health": coalition.health(), "can_edit": coalition.editable}
    return _panel(request, "health", context)


@staff_required
def coalition_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the coalition page: its action plan, with the links to change it for those who may."""
    coalition = _visible_coalition(request, pk)
    commitments = Commitment.objects.visible_to(request.user).filter(coalition=coalition).select_related("owner")
    context = {"coalition": coalition, "commitments": commitments, "can_edit": coalition.editable}
    return _panel(request, "plan", context)


#: The tables the records panel shows: the engagements (and their participants), the outcomes and
#: their actors, the learning notes with their coalitions and authors, and the coalition with its
#: initiative (whose country says who may change it).
RECORD_TABLES = (Engagement, Outcome, LearningNote, Stakeholder, Coalition, Initiative, User)


@staff_required
def coalition_records(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the coalition page: its recent engagements, its outcomes and its learning notes
    (its own and those shared with it).

    Rendered once and kept, with the coalition as the reader sees it, under the versions of the tables
    it shows (`RECORD_TABLES`), which every write drops: the key holds the SQL of the reader's scope
    of each table it reads (`core.short_tables.reader_scope`), so the rows are read only when it is missing. A coalition
    out of sight is never kept: its 404 is raised afresh.
    """
    user = request.user
    scope = reader_scope(
        Coalition.objects.visible_to(user),
        Coalition.objects.editable_by(user),
        Engagement.objects.visible_to(user),
        Outcome.objects.visible_to(user),
        Stakeholder.objects.visible_to(user),
        LearningNote.objects.visible_to(user),
    )
    key = rendering_key("coalitions/coalition_records", table_version(*RECORD_TABLES), pk, scope)
    coalition, records = kept(key, lambda: _records(request, pk))
    return _panel(request, "records", {"coalition": coalition, "records": records})


def _records(request: HttpRequest, pk: int) -> tuple[Coalition, str]:
    """The coalition the reader may see (a 404 otherwise) and its records panel's lists, rendered."""
    user = request.user
    coalition = _visible_coalition(request, pk)
    participants = Engagement.participants.through.objects.filter(engagement=OuterRef("pk"))
    shared = LearningNote.shared_with.through.objects.filter(coalition=coalition).values("learningnote")
    lists = {
        "coalition": coalition,
        "can_edit": coalition.editable,
        "engagements": Engagement.objects.visible_to(user)
        .filter(coalition=coalition)
        .annotate(participant_count=count_of(participants))
        .order_by("-occurred_on", "-pk")[:RECENT_ENGAGEMENTS],
        "outcomes": Outcome.objects.visible_to(user)
        .filter(coalition=coalition)
        .prefetch_related(Prefetch("actors", queryset=Stakeholder.objects.visible_to(user))),
        "notes": LearningNote.objects.visible_to(user)
        .filter(Q(coalition=coalition) | Q(pk__in=shared))
        .select_related("coalition", "author"),
    }
    return coalition, render_to_string("coalitions/includes/coalition_records_lists.html", lists)


@staff_required
def coalition_children(request: HttpRequest, pk: int) -> HttpResponse:
    """A panel of the coalition page: the local coalitions linked to it (none for most coalitions)."""
    coalition = _visible_coalition(request, pk)
    children = coalition_rollup_coalitions(coalition, request.user)[1:]
    return _panel(request, "children", {"coalition": coalition, "children": children})


@staff_required
def coalition_rollup(request: HttpRequest, pk: int) -> HttpResponse:
    """A coalition's figures and its local coalitions', side by side and in total, for a period: a
    page of its own, and the panel the coalition's page loads after its first paint (htmx)."""
    coalition = get_visible_or_404(Coalition.objects.select_related("initiative"), request.user, pk=pk)
    period_form = RollupPeriodForm(request.GET or None)
    context = {
        "coalition": coalition,
        "period_form": period_form,
        "rollup": rollup(coalition_rollup_coalitions(coalition, request.user), period_form.period()),
        # In the panel, the period form comes back to the coalition's page, which loads the panel again.
        "form_action": coalition.get_absolute_url() if request.htmx else "",
    }
    template = "coalitions/includes/coalition_rollup_panel.html" if request.htmx else "coalitions/coalition_rollup.html"
    return render(request, template, context)


def _members_page(queryset, total: int, number):
    """A page of MEMBERS_PAGE_SIZE memberships; the total is known already, so no COUNT query."""
    paginator = Paginator(queryset, MEMBERS_PAGE_SIZE)
    paginator.count = total  # a cached_property: the figure the page already has
    return paginator.get_page(number)


def _with_labels(memberships) -> list[Membership]:
    """The page's memberships with their role and sector labels, each label translated once per request.

    (`get_FOO_display()` rebuilds and translates the whole choice list on every call.)
    """
    sectors = {value: str(label) for value, label in Stakeholder.Sector.choices}
    roles = {value: str(label) for value, label in Membership.Role.choices}
    rows = list(memberships)
    for membership in rows:
        membership.stakeholder.sector_label = sectors.get(membership.stakeholder.sector, "")
        membership.role_label = roles.get(membership.role, membership.role)
    return rows


@staff_required
def coalition_create(request: HttpRequest) -> HttpResponse:
    """A coalition and its first members on one page; the members are written in the same transaction."""
    form = CoalitionCreateForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in CoalitionForm.Meta.fields if name != "regions"}
        try:
            coalition = services.coalition_create(
                fields=fields,
                regions=data["regions"],
                members=data["members"],
                member_role=data["member_role"],
                joined_on=data["joined_on"],
            )
        except IntegrityError:
            form.add_error(None, _("The coalition could not be saved; nothing was written. Please try again."))
        else:
            messages.success(
                request,
                ngettext(
                    "Coalition created with %(count)s member.",
                    "Coalition created with %(count)s members.",
                    len(data["members"]),
                )
                % {"count": len(data["members"])},
            )
            return redirect(coalition)
    return render(request, "coalitions/coalition_form.html", {"form": form})


@staff_required
def coalition_update(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = get_editable_or_403(Coalition.objects, request.user, pk=pk)
    form = CoalitionForm(request.POST or None, instance=coalition, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Coalition saved."))
        return redirect(coalition)
    return render(request, "coalitions/coalition_form.html", {"form": form, "coalition": coalition})


@staff_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = get_editable_or_403(Coalition.objects, request.user, pk=pk)
    form = MembershipForm(request.POST or None, instance=Membership(coalition=coalition), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # another request added the same member meanwhile
            form.add_error(None, constraint_message(Membership, "membership_one_open_per_stakeholder"))
        else:
            messages.success(request, _("Member added."))
            return redirect(coalition)
    return render(request, "coalitions/membership_form.html", {"form": form, "coalition": coalition})


@staff_required
def membership_update(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_editable_or_403(Membership.objects.select_related("coalition", "stakeholder"), request.user, pk=pk)
    form = MembershipRoleForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Membership updated."))
        return redirect(membership.coalition)
    return render(
        request,
        "coalitions/membership_update.html",
        {"form": form, "membership": membership, "coalition": membership.coalition},
    )


@staff_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_editable_or_403(
        Membership.objects.select_related("coalition", "stakeholder").filter(left_on__isnull=True), request.user, pk=pk
    )
    form = MembershipEndForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Membership ended; it stays in the coalition's history."))
        return redirect(membership.coalition)
    return render(
        request,
        "coalitions/membership_end.html",
        {"form": form, "membership": membership, "coalition": membership.coalition},
    )


@staff_required
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = get_editable_or_403(Coalition.objects.select_related("initiative"), request.user, pk=pk)
    form = CommitmentForm(
        request.POST or None, instance=Commitment(coalition=coalition), user=request.user, coalition=coalition
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Commitment added to the action plan."))
        return redirect(coalition)
    return render(request, "coalitions/commitment_form.html", {"form": form, "coalition": coalition})


@staff_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment read-only, with its evidence files (attached here by those who may change it)."""
    commitment = get_visible_or_404(
        Commitment.objects.select_related("coalition", "owner", "objective"), request.user, pk=pk
    )
    return render(
        request,
        "coalitions/commitment_detail.html",
        {
            "commitment": commitment,
            "can_edit": Commitment.objects.editable_by(request.user).filter(pk=commitment.pk).exists(),
        },
    )


@staff_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a commitment done from the coalition page, without the full form (the edit form undoes it)."""
    commitment = get_editable_or_403(Commitment.objects.select_related("coalition__initiative"), request.user, pk=pk)
    try:
        commitment.mark_done()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Commitment marked done: %(commitment)s") % {"commitment": commitment})
    return redirect(commitment.coalition)


@staff_required
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_editable_or_403(Commitment.objects.select_related("coalition__initiative"), request.user, pk=pk)
    coalition = commitment.coalition
    form = CommitmentForm(request.POST or None, instance=commitment, user=request.user, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Commitment saved."))
        return redirect(coalition)
    return render(
        request, "coalitions/commitment_form.html", {"form": form, "coalition": coalition, "commitment": commitment}
    )
