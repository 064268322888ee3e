"""Public pages of the network (no login) and the staff pages for campaigns and explorers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.client_ip import client_ip
from core.exports import table_export
from core.views import confirm_action, get_editable_or_403, get_editable_or_404, get_visible_or_404
from countries.models import Country
from outbox.models import Delivery
from stakeholders.forms import StakeholderForm

from . import services
from .exports import TABLES
from .filters import ContactRequestFilterSet, ExplorerFilterSet
from .forms import (
    CampaignForm,
    CampaignSendForm,
    ContactForm,
    ContactRequestForm,
    ContactRequestNoteForm,
    ContactRequestReplyForm,
    JoinForm,
)
from .models import Campaign, ConsentEvent, ContactRequest, ContactRequestNote, Explorer, audience_for

PAGE_SIZE = 50


# Public pages ---------------------------------------------------------------------------------


def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.join_rate_limited(ip=client_ip(request) or ""):
            form.add_error(None, _("Too many sign-ups from your network. Please try again in an hour."))
            return render(request, "explorers_network/join.html", {"form": form}, status=429)
        data = form.cleaned_data
        services.explorer_join(
            name=data["name"],
            email=data["email"],
            country=data["country"],
            organisation=data["organisation"],
            role=data["role"],
            interests=list(data["interests"]),
            language=data["preferred_language"],
        )
        return redirect("explorers_network:join_thanks")
    if request.method == "GET":
        form.initial["preferred_language"] = get_language()[:2]
        invited = services.contact_request_from_invitation(request.GET.get("invitation", ""))
        if invited is not None:
            # Filled in from their contact request; the consent box stays theirs to tick.
            form.initial.update(
                name=invited.name,
                email=invited.email,
                country=invited.country,
                organisation=invited.organisation,
                preferred_language=invited.language,
            )
    return render(request, "explorers_network/join.html", {"form": form})


def join_thanks(request):
    return render(request, "explorers_network/join_thanks.html")


def confirm(request, token: str):
    """GET only shows a button: mail scanners open links, and opening must change nothing."""
    explorer = services.explorer_from_confirmation_token(token)
    if explorer is None:
        if services.explorer_confirmed_by_token(token) is not None:
            return render(request, "explorers_network/confirm_already.html")
        return render(request, "explorers_network/confirm_invalid.html", status=400)
    if request.method == "POST":
        services.explorer_confirm(explorer=explorer)
        return render(request, "explorers_network/confirm_done.html", {"explorer": explorer})
    return render(request, "explorers_network/confirm.html", {"explorer": explorer})


@csrf_exempt
def unsubscribe(request, token: str):
    """RFC 8058 one-click: a mail client POSTs with no cookie or CSRF token; a GET only asks."""
    explorer = services.explorer_from_unsubscribe_token(token)
    if request.method == "POST":
        if explorer is not None:
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            source = ConsentEvent.Source.ONE_CLICK if one_click else ConsentEvent.Source.UNSUBSCRIBE_PAGE
            services.explorer_unsubscribe(explorer=explorer, source=source)
        # The same answer for an unknown or erased address: unsubscribing is always "done".
        return render(request, "explorers_network/unsubscribe_done.html")
    if explorer is None:
        return render(request, "explorers_network/unsubscribe_done.html")
    return render(request, "explorers_network/unsubscribe.html", {"explorer": explorer})


def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("explorers_network:contact_thanks")
        ip = client_ip(request) or ""
        if services.contact_rate_limited(ip=ip):
            form.add_error(None, _("Too many messages from your network. Please try again in an hour."))
            return render(request, "explorers_network/contact.html", {"form": form}, status=429)
        data = form.cleaned_data
        services.contact_request_create(
            name=data["name"],
            organisation=data["organisation"],
            country=data["country"],
            email=data["email"],
            message=data["message"],
            language=get_language()[:2],
            ip=ip,
        )
        return redirect("explorers_network:contact_thanks")
    return render(request, "explorers_network/contact.html", {"form": form})


def contact_thanks(request):
    """Where a visitor goes next: the home page, and the pages of the countries the program works in."""
    countries = Country.objects.exclude(status=Country.Status.CLOSED).only("code", "name")
    return render(request, "explorers_network/contact_thanks.html", {"countries": countries})


def contact_privacy(request):
    return render(request, "explorers_network/contact_privacy.html")


# Staff pages ----------------------------------------------------------------------------------


def _campaigns():
    return Campaign.objects.select_related("created_by").prefetch_related("audience_interests")


@staff_required
def campaign_list(request):
    campaigns = _campaigns()
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = {
        row["campaign_id"]: row
        for row in Delivery.objects.filter(campaign_id__in=[c.pk for c in page])
        .values("campaign_id")
        .annotate(total=Count("pk"))
        .order_by()
    }
    for campaign in page:
        campaign.recipient_total = progress.get(campaign.pk, {}).get("total", 0)
    return render(request, "explorers_network/campaign_list.html", {"page": page})


@staff_required
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        return redirect(campaign)
    return render(request, "explorers_network/campaign_form.html", {"form": form})


def _campaign_or_404(pk: int) -> Campaign:
    campaign = _campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@staff_required
def campaign_update(request, pk: int):
    campaign = _campaign_or_404(pk)
    if not campaign.is_editable:
        messages.error(request, _("A campaign that has started cannot be changed."))
        return redirect(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(campaign)
    return render(request, "explorers_network/campaign_form.html", {"form": form, "campaign": campaign})


@staff_required
def campaign_detail(request, pk: int):
    campaign = _campaign_or_404(pk)
    deliveries = Delivery.objects.filter(campaign_id=campaign.pk).order_by("recipient")
    context = {
        "campaign": campaign,
        "body_html": services.render_markdown(campaign.body),
        "audience_count": campaign.audience().count(),
        "progress": deliveries.progress(),
        "page": Paginator(
            deliveries.only("recipient", "state", "attempts", "sent_at", "last_error"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "send_form": CampaignSendForm(),
        "can_send": campaign.is_editable and Campaign.objects.editable_by(request.user).filter(pk=campaign.pk).exists(),
    }
    return render(request, "explorers_network/campaign_detail.html", context)


@staff_required
def campaign_progress(request, pk: int):
    campaign = _campaign_or_404(pk)
    progress = Delivery.objects.filter(campaign_id=campaign.pk).progress()
    return render(
        request, "explorers_network/includes/campaign_progress.html", {"campaign": campaign, "progress": progress}
    )


@staff_required
def campaign_send(request, pk: int):
    """Asks first (the audience and when), then sends; only a team whose countries hold the whole audience may."""
    campaign = get_editable_or_404(_campaigns(), request.user, pk=pk)
    if not campaign.is_editable:
        messages.error(request, _("This campaign has already started."))
        return redirect(campaign)
    # The confirmation page posts back to its own address, so the time chosen travels in the query string.
    form = CampaignSendForm({**request.GET.dict(), **request.POST.dict()})
    if not form.is_valid():
        messages.error(request, _("Enter a valid date and time, or leave it empty to send now."))
        return redirect(campaign)
    when = form.cleaned_data["when"]

    def perform():
        services.campaign_send(campaign=campaign, when=when, user=request.user)
        messages.success(request, _("The campaign is on its way."))
        return redirect(campaign)

    count = campaign.audience().count()
    if when:
        timing = _("It will be sent on %(when)s.") % {"when": date_format(timezone.localtime(when), "DATETIME_FORMAT")}
    else:
        timing = _("It will be sent now.")
    return confirm_action(
        request,
        title=_("Send “%(subject)s”") % {"subject": campaign.subject},
        consequences=[
            ngettext(
                "The campaign goes to %(count)s explorer who confirmed their address and has not withdrawn.",
                "The campaign goes to %(count)s explorers who confirmed their address and have not withdrawn.",
                count,
            )
            % {"count": count},
            timing,
            _("A sent mail cannot be recalled. The sending is recorded (who and when)."),
        ],
        button=_("Send the campaign"),
        cancel_url=campaign.get_absolute_url(),
        perform=perform,
    )


@staff_required
@require_POST
def campaign_test(request, pk: int):
    campaign = _campaign_or_404(pk)
    if not request.user.email:
        messages.error(request, _("Your account has no email address."))
    else:
        services.campaign_test_send(campaign=campaign, user=request.user)
        messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email})
    return redirect(campaign)


@staff_required
def audience_count(request):
    """The recipient count for the audience currently in the form (HTMX preview)."""
    form = CampaignForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    count = audience_for(
        language=data.get("language") or "en",
        countries=data.get("audience_countries") or [],
        interest_ids=[topic.pk for topic in data.get("audience_interests") or []],
    ).count()
    if request.htmx:
        return HttpResponse(_("%(count)s recipients") % {"count": count})
    return JsonResponse({"count": count})


@staff_required
def explorer_list(request):
    filterset = ExplorerFilterSet(request.GET, queryset=Explorer.objects.visible_to(request.user), request=request)
    explorers = filterset.qs.prefetch_related("interests")
    page = Paginator(explorers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "explorers_network/explorer_list.html", {"filterset": filterset, "page": page})


@staff_required
def list_export(request, table: str):
    """The explorers or contact requests the user sees, with the list page's filters, as a table."""
    return table_export(request, TABLES[table], table)


@staff_required
def explorer_detail(request, pk: int):
    explorer = get_visible_or_404(Explorer.objects.prefetch_related("interests", "consent_events"), request.user, pk=pk)
    return render(request, "explorers_network/explorer_detail.html", {"explorer": explorer})


def _contact_requests():
    return ContactRequest.objects.select_related("owner", "stakeholder")


@staff_required
def contact_list(request):
    requests = ContactRequest.objects.visible_to(request.user).select_related("owner")
    filterset = ContactRequestFilterSet(request.GET, queryset=requests, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "explorers_network/contact_list.html", {"filterset": filterset, "page": page})


@staff_required
def contact_detail(request, pk: int):
    contact = get_visible_or_404(_contact_requests(), request.user, pk=pk)
    can_edit = ContactRequest.objects.editable_by(request.user).filter(pk=contact.pk).exists()
    context = {
        "contact": contact,
        "notes": contact.notes.select_related("author"),
        "can_edit": can_edit,
        "form": ContactRequestForm(instance=contact) if can_edit else None,
        "note_form": ContactRequestNoteForm() if can_edit else None,
        "reply_form": ContactRequestReplyForm(instance=contact) if can_edit else None,
        "invitation_refusal": services.explorer_invitation_refusal(contact_request=contact),
    }
    return render(request, "explorers_network/contact_detail.html", context)


def _contact_form_page(request, contact: ContactRequest, form, *, title: str, button: str):
    context = {"contact": contact, "form": form, "title": title, "button": button}
    return render(request, "explorers_network/contact_form.html", context)


@staff_required
def contact_update(request, pk: int):
    contact = get_editable_or_403(_contact_requests(), request.user, pk=pk)
    form = ContactRequestForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(contact)
    return _contact_form_page(request, contact, form, title=_("Status and owner"), button=_("Save"))


@staff_required
def contact_note_create(request, pk: int):
    contact = get_editable_or_403(_contact_requests(), request.user, pk=pk)
    form = ContactRequestNoteForm(request.POST or None, instance=ContactRequestNote(contact_request=contact))
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.author = request.user
        note.save()
        messages.success(request, _("Note added."))
        return redirect(contact)
    return _contact_form_page(request, contact, form, title=_("Add a note"), button=_("Add the note"))


@staff_required
def contact_reply(request, pk: int):
    """Keeps the reply as a draft, then asks before sending it (contact_reply_send)."""
    contact = get_editable_or_403(_contact_requests(), request.user, pk=pk)
    form = ContactRequestReplyForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("explorers_network:contact_reply_send", pk=contact.pk)
    return _contact_form_page(request, contact, form, title=_("Reply by mail"), button=_("Review and send"))


@staff_required
def contact_reply_send(request, pk: int):
    """Asks first (to whom, in which language, what), then mails the saved reply through the outbox."""
    contact = get_editable_or_404(_contact_requests(), request.user, pk=pk)
    if not contact.reply_draft.strip():
        messages.error(request, _("Write the reply first."))
        return redirect(contact)

    def perform():
        try:
            services.contact_request_reply_send(contact_request=contact, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(contact)
        messages.success(request, _("The reply is on its way to %(email)s.") % {"email": contact.email})
        return redirect(contact)

    return confirm_action(
        request,
        title=_("Send the reply to %(name)s") % {"name": contact.name},
        consequences=[
            _("This reply is mailed to %(email)s, in %(language)s:")
            % {"email": contact.email, "language": contact.get_language_display()},
            contact.reply_draft,
            _("The request is then marked answered and the reply kept in its thread."),
            _("A sent mail cannot be recalled. The sending is recorded (who and when)."),
        ],
        button=_("Send the reply"),
        cancel_url=reverse("explorers_network:contact_reply", args=[contact.pk]),
        perform=perform,
        danger=False,
    )


@staff_required
def contact_stakeholder_create(request, pk: int):
    """The stakeholder form filled in from the request; saving it also links the request to the new stakeholder."""
    contact = get_editable_or_403(_contact_requests(), request.user, pk=pk)
    if contact.stakeholder_id:
        messages.info(request, _("This request is already a stakeholder."))
        return redirect(contact.stakeholder)
    if not Country.objects.editable_by(request.user).exists():
        return render(request, "403.html", status=403)
    initial = services.contact_request_stakeholder_initial(contact_request=contact, user=request.user)
    form = StakeholderForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        stakeholder = services.contact_request_stakeholder_create(contact_request=contact, form=form, user=request.user)
        messages.success(request, _("Stakeholder “%(name)s” added.") % {"name": stakeholder.name})
        return redirect(stakeholder)
    return _contact_form_page(
        request, contact, form, title=_("Make this a stakeholder"), button=_("Add the stakeholder")
    )


@staff_required
def contact_invite(request, pk: int):
    """Asks first, then mails the sender an invitation to join the Explorers (joining stays theirs to do)."""
    contact = get_editable_or_404(_contact_requests(), request.user, pk=pk)
    refusal = services.explorer_invitation_refusal(contact_request=contact)
    if refusal:
        messages.error(request, refusal)
        return redirect(contact)

    def perform():
        try:
            services.contact_request_invite_explorer(contact_request=contact, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(contact)
        messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": contact.email})
        return redirect(contact)

    return confirm_action(
        request,
        title=_("Invite %(name)s to the Explorers") % {"name": contact.name},
        consequences=[
            _(
                "An invitation is mailed to %(email)s, in %(language)s, with a link to the join page filled in with "
                "their name and country."
            )
            % {"email": contact.email, "language": contact.get_language_display()},
            _(
                "They join only if they agree to the consent text there and then confirm their address themselves; "
                "the network mails them nothing else until then."
            ),
            _("A sent mail cannot be recalled. The invitation is recorded (who and when)."),
        ],
        button=_("Send the invitation"),
        cancel_url=contact.get_absolute_url(),
        perform=perform,
        danger=False,
    )
