"""The partner portal: a partner organisation's coalitions, its commitments and its writes, on pages.

Rows come only from `visible_to(user)` (a partner's: its own coalitions and what they hold) and
writes go through the rules of `core.access` and `core.services.row_write`, the API's own, so
the portal shows nothing the API would not give this partner and accepts nothing it would refuse.
Out of sight is a 404; in sight but not theirs to change (a commitment another member owns) a 403,
as in the API.

The portal is a partner's view of their own coalitions: staff, who read everything on the staff
pages, are sent to their dashboard.
"""

from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from attachments import registry as attachables
from attachments.uploads import limit_uploads
from attachments.views import upload_response
from coalitions.filters import CommitmentFilterSet, LearningNoteFilterSet
from coalitions.forms import OutcomeForm
from coalitions.models import Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome
from coalitions.services import engagement_log
from core.access import CREATE, UPDATE, may_write_row
from core.expressions import count_of
from core.services import row_write
from core.short_tables import kept, reader_scope, table_version
from core.versions import rendering_key
from core.views import get_visible_or_404
from countries.models import Country
from stakeholders.models import Stakeholder

from .forms import CommitmentProgressForm, EngagementLogForm

PAGE_SIZE = 20
#: Each part of a coalition's page shows this many rows at a time (a phone on a slow link).
SECTION_SIZE = 10


def partner_required(view):
    """The portal's gate: anonymous visitors sign in; anyone signed in who is not a partner goes to the dashboard.

    The wrapper carries `partner_only = True`, which the portal's tests read to find every page.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_partner:
            return redirect("coalitions:dashboard")
        return view(request, *args, **kwargs)

    wrapper.partner_only = True
    return wrapper


def _page(request: HttpRequest, rows, param: str = "page", size: int = PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get(param))


def owned_commitments(user):
    """The commitments of the partner's coalitions that its organisation owns: those it may update."""
    return Commitment.objects.visible_to(user).filter(owner_id=user.organisation_id)


@partner_required
def home(request: HttpRequest) -> HttpResponse:
    coalitions = Coalition.objects.visible_to(request.user).select_related("initiative")
    context = {
        "nav_section": "portal",
        "page": _page(request, coalitions),
        "commitments_open": owned_commitments(request.user)
        .filter(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS])
        .count(),
    }
    return render(request, "portal/home.html", context)


class _CountedPaginator(Paginator):
    """A paginator given its count, read beforehand with others in one query."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _section_rows(user, coalition, section: str):
    """The rows of one part of a coalition's portal page, as the partner sees them: of `coalition`, a
    row or an OuterRef. Only the part asked for is built: each is a `visible_to` query of its own."""
    if section == "members":
        return Membership.objects.visible_to(user).open().filter(coalition=coalition).select_related("stakeholder")
    if section == "plan":
        return Commitment.objects.visible_to(user).filter(coalition=coalition).select_related("owner")
    if section == "engagements":
        return Engagement.objects.visible_to(user).filter(coalition=coalition)
    if section == "outcomes":
        return Outcome.objects.visible_to(user).filter(coalition=coalition)
    # The shared notes' subquery sits one level further in: there the coalition is its outer query's outer row.
    shared_with = OuterRef(coalition) if isinstance(coalition, OuterRef) else coalition
    return (
        LearningNote.objects.visible_to(user)
        .filter(Q(coalition=coalition) | Q(pk__in=LearningNote.objects.filter(shared_with=shared_with).values("pk")))
        .select_related("coalition")
    )


#: The tables a coalition's page shows: the coalition, its initiative and country, its memberships
#: (which also say which coalitions a partner sees) and their stakeholders' names.
PAGE_TABLES = (Coalition, Initiative, Country, Membership, Stakeholder)

#: The parts of a coalition's page it loads after its first paint (htmx), each a page of its own.
LAZY_SECTIONS = ("plan", "engagements", "outcomes", "notes")


def _coalition_with_count(request: HttpRequest, pk: int, section: str) -> Coalition:
    """The coalition the partner sees (a 404 otherwise), with the number of rows of one of its parts."""
    user = request.user
    count = count_of(_section_rows(user, OuterRef("pk"), section))
    return get_visible_or_404(
        Coalition.objects.select_related("initiative__country").annotate(**{f"{section}_count": count}), user, pk=pk
    )


def _section_page(request: HttpRequest, coalition: Coalition, section: str):
    """A page of SECTION_SIZE rows of a part of the coalition's page; its count came with the coalition."""
    rows = _section_rows(request.user, coalition, section)
    paginator = _CountedPaginator(rows, SECTION_SIZE, getattr(coalition, f"{section}_count"))
    return paginator.get_page(request.GET.get(section))


@partner_required
def coalition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A coalition's page: its members a page at a time, in five queries, two once its parts are kept.
    Its action plan, engagements, outcomes and learning notes are parts the page loads after its
    first paint (htmx), each a page of its own linked for a browser without script.

    As on the staff coalition page, what it shows is kept under the versions of the tables it comes
    from (`PAGE_TABLES`), which every write drops, in two parts: the coalition as the partner sees it,
    with its members' count and its heading, then the rendered rows of the page of members asked for.
    Each key holds the SQL of the partner's scope (`core.short_tables.reader_scope`), and through
    `rendering_key` the language. A coalition out of sight is never kept: its 404 is raised afresh.
    """
    user = request.user
    versions = table_version(*PAGE_TABLES)
    members = _section_rows(user, pk, "members")
    scope = reader_scope(Coalition.objects.visible_to(user), members)
    coalition, count, heading = kept(
        rendering_key("portal/coalition_detail", versions, pk, scope), lambda: _coalition_heading(user, pk, members)
    )
    page = _CountedPaginator(members, SECTION_SIZE, count).get_page(request.GET.get("members"))
    rows_key = rendering_key("portal/coalition_detail:members", versions, scope, page.number)
    member_rows = kept(rows_key, lambda: render_to_string("portal/includes/coalition_members.html", {"members": page}))
    # The page's query goes on to each part: the page a part's pagination asks for, and the others' kept.
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    sections = {
        section: reverse("portal:coalition_section", kwargs={"pk": coalition.pk, "section": section}) + query
        for section in LAZY_SECTIONS
    }
    context = {
        "nav_section": "portal",
        "coalition": coalition,
        "heading": heading,
        "organisation_id": user.organisation_id,
        "members": page,
        "member_rows": member_rows,
        "sections": sections,
    }
    return render(request, "portal/coalition_detail.html", context)


def _coalition_heading(user, pk: int, members) -> tuple[Coalition, int, str]:
    """The coalition the partner sees (a 404 otherwise), its current members' count and its heading
    (initiative, country, status and shared goal), rendered."""
    coalition = get_visible_or_404(Coalition.objects.select_related("initiative__country"), user, pk=pk)
    heading = render_to_string("portal/includes/coalition_heading.html", {"coalition": coalition})
    return coalition, members.count(), heading


@partner_required
def coalition_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """A part of a coalition's page (its action plan, engagements, outcomes or learning notes), a page
    at a time: bare for the page's htmx request, else a page of its own. Out of sight is a 404, as
    for the page."""
    if section not in LAZY_SECTIONS:
        raise Http404
    coalition = _coalition_with_count(request, pk, section)
    context = {
        "nav_section": "portal",
        "coalition": coalition,
        "organisation_id": request.user.organisation_id,
        section: _section_page(request, coalition, section),
        "section": f"portal/includes/coalition_{section}.html",
    }
    if request.htmx:
        return render(request, context["section"], context)
    return render(request, "portal/coalition_section.html", context)


@partner_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    filterset = CommitmentFilterSet(
        request.GET, queryset=owned_commitments(request.user).select_related("coalition"), request=request
    )
    context = {"nav_section": "commitments", "filterset": filterset, "page": _page(request, filterset.qs)}
    return render(request, "portal/commitment_list.html", context)


@partner_required
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_visible_or_404(Commitment.objects.select_related("coalition", "owner"), request.user, pk=pk)
    if not may_write_row(request.user, "commitment", UPDATE, commitment):
        raise PermissionDenied  # another member's commitment: readable, not theirs to change (as in the API)
    form = CommitmentProgressForm(request.POST or None, instance=commitment)
    if form.is_valid():
        row_write(user=request.user, resource="commitment", action=UPDATE, save=form.save)
        messages.success(request, _("Commitment updated."))
        return redirect("portal:commitment_list")
    context = {
        "nav_section": "commitments",
        "form": form,
        "commitment": commitment,
        "upload_url": attachments_url(commitment),
    }
    return render(request, "portal/commitment_form.html", context)


#: The records whose files the portal shows, by the name in its URL.
ATTACHABLE = {
    "commitment": "coalitions.Commitment",
    "engagement": "coalitions.Engagement",
    "outcome": "coalitions.Outcome",
}


def attachments_url(record) -> str:
    return reverse("portal:record_attachments", kwargs={"model": record._meta.model_name, "pk": record.pk})


# The size limit goes in front of the upload handlers before the body is read, and the CSRF check
# reads the body: exempt from the middleware's check, made after the limit (as attachments.views).
@csrf_exempt
@partner_required
def record_attachments(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """The files of a record the partner sees; a POST attaches more, through the attachments service,
    to the records the API lets this partner attach to (their organisation's engagements and outcomes,
    the commitments it owns): 404 out of sight, 403 in sight but not theirs."""
    limit = limit_uploads(request) if request.method == "POST" else None
    return _record_attachments(request, model, pk, limit)


@csrf_protect
def _record_attachments(request: HttpRequest, model: str, pk: int, limit) -> HttpResponse:
    entry = attachables.attachable(ATTACHABLE.get(model, ""))
    if entry is None:
        raise Http404
    record = get_visible_or_404(entry.model._default_manager.select_related("coalition"), request.user, pk=pk)
    here = attachments_url(record)
    if request.method == "POST":
        if not entry.records_a_partner_may_attach_to(request.user).filter(pk=record.pk).exists():
            raise PermissionDenied
        return upload_response(request, record, limit, default_back=here)
    context = {"nav_section": "portal", "record": record, "upload_url": here}
    return render(request, "portal/record_attachments.html", context)


def _coalition_for_writing(request: HttpRequest, pk: int) -> Coalition:
    return get_visible_or_404(Coalition.objects.all(), request.user, pk=pk)


@partner_required
def engagement_create(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for_writing(request, pk)
    engagement = Engagement(coalition=coalition, recorded_by=request.user)
    form = EngagementLogForm(request.POST or None, user=request.user, coalition=coalition, instance=engagement)
    if form.is_valid():
        data = dict(form.cleaned_data)
        participants = data.pop("participants", [])
        row_write(
            user=request.user,
            resource="engagement",
            action=CREATE,
            save=lambda: engagement_log(
                fields={**data, "coalition": coalition}, participants=participants, recorded_by=request.user
            ),
        )
        messages.success(request, _("Engagement logged."))
        return redirect(coalition_url(coalition))
    return render(
        request, "portal/engagement_form.html", {"nav_section": "portal", "form": form, "coalition": coalition}
    )


@partner_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = _coalition_for_writing(request, pk)
    outcome = Outcome(coalition=coalition, recorded_by=request.user)
    form = OutcomeForm(request.POST or None, user=request.user, instance=outcome)
    if form.is_valid():
        row_write(user=request.user, resource="outcome", action=CREATE, save=form.save)
        messages.success(request, _("Outcome recorded."))
        return redirect(coalition_url(coalition))
    return render(request, "portal/outcome_form.html", {"nav_section": "portal", "form": form, "coalition": coalition})


@partner_required
def learningnote_list(request: HttpRequest) -> HttpResponse:
    notes = LearningNote.objects.visible_to(request.user).select_related("coalition")
    filterset = LearningNoteFilterSet(request.GET, queryset=notes, request=request)
    context = {"nav_section": "portal", "filterset": filterset, "page": _page(request, filterset.qs)}
    return render(request, "portal/learningnote_list.html", context)


def coalition_url(coalition: Coalition) -> str:
    return reverse("portal:coalition_detail", kwargs={"pk": coalition.pk})
