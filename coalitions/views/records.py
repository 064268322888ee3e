"""What coalitions do and learn: engagements, outcomes and learning notes."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import staff_required
from core.parsing import parse_id
from core.views import get_editable_or_403, get_visible_or_404

from ..forms import EngagementForm, LearningNoteForm, OutcomeForm
from ..models import Coalition, Engagement, LearningNote, Outcome
from ..services import engagement_log


def _id_param(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name))


@staff_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_visible_or_404(
        Engagement.objects.select_related("coalition", "initiative", "recorded_by"), request.user, pk=pk
    )
    return render(
        request,
        "coalitions/engagement_detail.html",
        {
            "engagement": engagement,
            "participants": engagement.participants.visible_to(request.user).select_related("country"),
            "can_edit": Engagement.objects.editable_by(request.user).filter(pk=engagement.pk).exists(),
        },
    )


def _engagement_form(request: HttpRequest, engagement: Engagement | None) -> HttpResponse:
    user = request.user
    form_kwargs = {"user": user, "instance": engagement}
    if engagement is None:
        form_kwargs["initial"] = {
            "coalition": _id_param(request, "coalition"),
            "initiative": _id_param(request, "initiative"),
        }
    form = EngagementForm(request.POST or None, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name] for name in EngagementForm.Meta.fields if name not in ("participants", "all_members")
        }
        saved = engagement_log(
            fields=fields, participants=data["participants"], recorded_by=user, engagement=engagement
        )
        messages.success(
            request,
            ngettext(
                "Engagement saved with %(count)s participant.",
                "Engagement saved with %(count)s participants.",
                len(data["participants"]),
            )
            % {"count": len(data["participants"])},
        )
        return redirect(saved)
    return render(request, "coalitions/engagement_form.html", {"form": form, "engagement": engagement})


@staff_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    return _engagement_form(request, None)


@staff_required
def engagement_update(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_editable_or_403(Engagement.objects, request.user, pk=pk)
    return _engagement_form(request, engagement)


@staff_required
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An outcome read-only, with its evidence files (attached here by those who may change it)."""
    outcome = get_visible_or_404(
        Outcome.objects.select_related("coalition", "recorded_by", "objective"), request.user, pk=pk
    )
    return render(
        request,
        "coalitions/outcome_detail.html",
        {
            "outcome": outcome,
            "actors": outcome.actors.visible_to(request.user),
            "can_edit": Outcome.objects.editable_by(request.user).filter(pk=outcome.pk).exists(),
        },
    )


@staff_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    coalition = get_editable_or_403(Coalition.objects, request.user, pk=pk)
    return _outcome_form(request, coalition, Outcome(coalition=coalition, recorded_by=request.user))


@staff_required
def outcome_update(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_editable_or_403(Outcome.objects.select_related("coalition"), request.user, pk=pk)
    return _outcome_form(request, outcome.coalition, outcome)


def _outcome_form(request: HttpRequest, coalition: Coalition, outcome: Outcome) -> HttpResponse:
    form = OutcomeForm(request.POST or None, user=request.user, instance=outcome)
    if form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Outcome saved."))
        return redirect(coalition)
    return render(
        request,
        "coalitions/outcome_form.html",
        {"form": form, "coalition": coalition, "outcome": outcome if outcome.pk else None},
    )


@staff_required
def learningnote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_visible_or_404(
        LearningNote.objects.select_related("coalition", "initiative", "author"), request.user, pk=pk
    )
    return render(
        request,
        "coalitions/learningnote_detail.html",
        {
            "note": note,
            "shared_with": note.shared_with.visible_to(request.user),
            "can_edit": LearningNote.objects.editable_by(request.user).filter(pk=note.pk).exists(),
        },
    )


@staff_required
def learningnote_create(request: HttpRequest) -> HttpResponse:
    initial = {"coalition": _id_param(request, "coalition"), "initiative": _id_param(request, "initiative")}
    return _learningnote_form(request, LearningNoteForm(request.POST or None, initial=initial, user=request.user))


@staff_required
def learningnote_update(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_editable_or_403(LearningNote.objects, request.user, pk=pk)
    return _learningnote_form(request, LearningNoteForm(request.POST or None, instance=note, user=request.user))


def _learningnote_form(request: HttpRequest, form: LearningNoteForm) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        if note.author_id is None:
            note.author = request.user
        with transaction.atomic():
            note.save()
            form.save_m2m()
        messages.success(request, _("Learning note saved."))
        return redirect(note)
    return render(
        request,
        "coalitions/learningnote_form.html",
        {"form": form, "note": form.instance if form.instance.pk else None},
    )
