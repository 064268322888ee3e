"""Joining, confirming, unsubscribing, data export and erasure, campaigns, and contact requests as work."""

import datetime
import hashlib
import hmac
import secrets

import markdown
import nh3
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.forms import ModelForm
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import ActionRecord
from core.ratelimit import rate_limit_exceeded
from core.services import action_record
from core.tasks import enqueue_after_commit
from core.validation import save_valid
from countries.models import Country
from outbox.models import Delivery, Suppression, email_hash
from outbox.services import (
    Mail,
    deliveries_create_many,
    deliveries_enqueue,
    delivery_create,
    mail_rendered,
    suppression_add,
    suppression_remove,
)
from stakeholders.models import Contact, Stakeholder

from .consent import CURRENT_CONSENT_VERSION, consent_text
from .models import Campaign, ConsentEvent, ContactRequest, ContactRequestNote, Explorer, Topic

CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)
INVITATION_MAX_AGE = datetime.timedelta(days=30)
ACKNOWLEDGEMENTS_PER_DAY = 3
CONFIRMATIONS_PER_DAY = 3
CONTACTS_PER_IP_PER_HOUR = 5
JOINS_PER_IP_PER_HOUR = 10
LIST_ID = "explorers"

#: Sent after a contact request is committed; the notifications app (above this one) listens.
contact_request_received = Signal()


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirmation_url(explorer: Explorer) -> str:
    token = signing.dumps({"e": explorer.pk, "n": explorer.confirmation_nonce}, salt="explorer-confirm")
    return absolute_url(reverse("explorers_network:confirm", args=[token]))


def unsubscribe_url(explorer: Explorer) -> str:
    """Identifies the recipient and the list; never expires, as RFC 8058 expects of one-click links."""
    token = signing.dumps({"e": explorer.pk, "l": LIST_ID}, salt="explorer-unsubscribe")
    return absolute_url(reverse("explorers_network:unsubscribe", args=[token]))


def explorer_from_confirmation_token(token: str) -> Explorer | None:
    try:
        data = signing.loads(token, salt="explorer-confirm", max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    explorer = Explorer.objects.filter(pk=data.get("e"), status=Explorer.Status.PENDING).first()
    if explorer is None or not data.get("n") or not hmac.compare_digest(explorer.confirmation_nonce, data["n"]):
        return None
    return explorer


def explorer_confirmed_by_token(token: str) -> Explorer | None:
    """The explorer a genuine confirmation link names, if they are confirmed already (the link
    re-used, or opened from a second device): they are told so, not that the link broke."""
    try:
        data = signing.loads(token, salt="explorer-confirm")
    except signing.BadSignature:
        return None
    return Explorer.objects.filter(pk=data.get("e"), status=Explorer.Status.ACTIVE).first()


def explorer_from_unsubscribe_token(token: str) -> Explorer | None:
    try:
        data = signing.loads(token, salt="explorer-unsubscribe")
    except signing.BadSignature:
        return None
    if data.get("l") != LIST_ID:
        return None
    return Explorer.objects.filter(pk=data.get("e")).first()


def _record(explorer: Explorer, *, action: str, source: str, language: str = "") -> None:
    """Insert a ledger event and bring the explorer's status (a cache of the ledger) up to date."""
    text_version = CURRENT_CONSENT_VERSION if action == ConsentEvent.Action.GRANT else ""
    with translation.override(language or explorer.preferred_language):
        text = consent_text(text_version) if text_version else ""
    ConsentEvent.objects.create(
        explorer=explorer,
        action=action,
        text_version=text_version,
        text=text,
        language=language or explorer.preferred_language,
        source=source,
    )
    actions = list(explorer.consent_events.order_by("occurred_at", "pk").values_list("action", flat=True))
    explorer.status = ConsentEvent.status_after(actions)
    if action == ConsentEvent.Action.GRANT:
        explorer.consent_text_version = text_version
        explorer.consent_given_at = timezone.now()
        explorer.consent_source = source
    if action == ConsentEvent.Action.CONFIRM:
        explorer.confirmed_at = timezone.now()
        explorer.confirmation_nonce = ""
    explorer.save()


def _send_confirmation(explorer: Explorer) -> None:
    recent = Delivery.objects.filter(
        kind=Delivery.Kind.CONFIRMATION,
        recipient=explorer.email.lower(),
        created_at__gte=timezone.now() - datetime.timedelta(hours=24),
    ).count()
    if recent >= CONFIRMATIONS_PER_DAY:
        return
    if not explorer.confirmation_nonce:
        explorer.confirmation_nonce = secrets.token_urlsafe(16)
        explorer.save(update_fields=["confirmation_nonce", "updated_at"])
    context = {"explorer": explorer, "confirm_url": confirmation_url(explorer)}
    mail = mail_rendered(
        recipient=explorer.email,
        language=explorer.preferred_language,
        subject=gettext_lazy("Confirm that you want to join the Governance Explorers"),
        template="explorers_network/mail/confirmation",
        context=context,
    )
    delivery_create(mail=mail, kind=Delivery.Kind.CONFIRMATION, period=timezone.now().isoformat())


@transaction.atomic
def explorer_join(
    *,
    name: str,
    email: str,
    country: str,
    organisation: str = "",
    role: str = "",
    interests: list[Topic] | None = None,
    language: str = "en",
) -> None:
    """Add a pending explorer and mail a confirmation link. Returns nothing, so no caller can tell
    a new address from a known one: the page and the response are the same either way."""
    explorer = Explorer.objects.select_for_update().filter(email__iexact=email.strip()).first()
    if explorer is None:
        explorer = Explorer.objects.create(
            name=name,
            email=email.strip(),
            country=country,
            organisation=organisation,
            role=role,
            preferred_language=language,
        )
        explorer.interests.set(interests or [])
        _record(explorer, action=ConsentEvent.Action.GRANT, source=ConsentEvent.Source.JOIN_FORM, language=language)
    elif explorer.status == Explorer.Status.UNSUBSCRIBED:
        # Coming back is a fresh consent, confirmed again by mail before anything is sent.
        _record(explorer, action=ConsentEvent.Action.GRANT, source=ConsentEvent.Source.JOIN_FORM, language=language)
    elif explorer.status == Explorer.Status.ACTIVE:
        return
    _send_confirmation(explorer)


@transaction.atomic
def explorer_confirm(*, explorer: Explorer) -> None:
    explorer = Explorer.objects.select_for_update().get(pk=explorer.pk)
    if explorer.status != Explorer.Status.PENDING:
        return
    _record(explorer, action=ConsentEvent.Action.CONFIRM, source=ConsentEvent.Source.CONFIRMATION_LINK)
    suppression_remove(address=explorer.email, reasons=[Suppression.Reason.UNSUBSCRIBED, Suppression.Reason.ERASED])


@transaction.atomic
def explorer_unsubscribe(*, explorer: Explorer, source: str) -> None:
    """Withdraw consent; the suppression also stops mails of a campaign already queued."""
    explorer = Explorer.objects.select_for_update().get(pk=explorer.pk)
    suppression_add(address=explorer.email, reason=Suppression.Reason.UNSUBSCRIBED)
    if explorer.status == Explorer.Status.UNSUBSCRIBED:
        return
    _record(explorer, action=ConsentEvent.Action.WITHDRAW, source=source)


@transaction.atomic
def explorer_change_email(*, explorer: Explorer, email: str) -> None:
    """A new address is confirmed again before anything is mailed to it, whichever path changed it.

    The ledger records the change, which takes an active explorer back to pending (the campaign
    sender reads the ledger), and a confirmation link goes to the new address. A withdrawn
    explorer stays withdrawn and is sent nothing.
    """
    explorer = Explorer.objects.select_for_update().get(pk=explorer.pk)
    email = email.strip()
    if email.lower() == explorer.email.lower():
        if email != explorer.email:
            explorer.email = email
            explorer.save(update_fields=["email", "updated_at"])
        return
    old_address = explorer.email.lower()
    explorer.email = email
    explorer.confirmation_nonce = ""  # a link mailed to the old address no longer confirms
    explorer.save(update_fields=["email", "confirmation_nonce", "updated_at"])
    # Campaign mails already queued for the old address were consented to there: they stay unsent.
    Delivery.objects.filter(
        recipient=old_address, kind__in=Delivery.OUTREACH_KINDS, state=Delivery.State.PENDING
    ).update(state=Delivery.State.CANCELLED)
    if explorer.status == Explorer.Status.UNSUBSCRIBED:
        return
    _record(explorer, action=ConsentEvent.Action.EMAIL_CHANGED, source=ConsentEvent.Source.STAFF)
    _send_confirmation(explorer)


def render_markdown(text: str) -> str:
    return nh3.clean(markdown.markdown(text, extensions=["extra", "sane_lists"]))


def _campaign_mail(campaign: Campaign, *, recipient: str, name: str, unsubscribe: str, html_body: str) -> Mail:
    context = {"campaign": campaign, "name": name, "body_html": html_body, "unsubscribe_url": unsubscribe}
    return mail_rendered(
        recipient=recipient,
        language=campaign.language,
        subject=campaign.subject,
        template="explorers_network/mail/campaign",
        context=context,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Governance Explorers <{LIST_ID}.{settings.SITE_URL.split('://')[-1].split('/')[0]}>",
        },
    )


class _CampaignMails:
    """Every member's mail of a campaign, from one rendering of its templates.

    The templates are rendered once, in the campaign's language, with unguessable markers in
    place of the member's name and unsubscribe link, and each mail is that text with the
    markers replaced (HTML-escaped in the HTML body, as the template would have escaped them).
    Rendering both templates per member took most of the time a 10,000-member campaign needs
    before its first mail can go out. Should a template ever transform the name or the link
    (a filter), the markers do not survive and every mail is rendered in full instead.
    """

    def __init__(self, campaign: Campaign, *, html_body: str) -> None:
        self.campaign, self.html_body = campaign, html_body
        marker = secrets.token_hex(12)
        self.name_marker, self.url_marker = f"name{marker}", f"unsubscribe{marker}"
        self.template = _campaign_mail(
            campaign, recipient="", name=self.name_marker, unsubscribe=self.url_marker, html_body=html_body
        )
        self.reusable = all(
            self.name_marker in body and self.url_marker in body
            for body in (self.template.body_text, self.template.body_html)
        )

    def mail(self, *, recipient: str, name: str, unsubscribe: str) -> Mail:
        if not self.reusable:
            return _campaign_mail(
                self.campaign, recipient=recipient, name=name, unsubscribe=unsubscribe, html_body=self.html_body
            )
        template = self.template
        text = template.body_text.replace(self.url_marker, unsubscribe).replace(self.name_marker, name)
        html = template.body_html.replace(self.url_marker, escape(unsubscribe)).replace(self.name_marker, escape(name))
        headers = {key: value.replace(self.url_marker, unsubscribe) for key, value in template.headers.items()}
        return Mail(
            recipient=recipient,
            language=template.language,
            subject=template.subject,
            body_text=text,
            body_html=html,
            headers=headers,
        )


def campaign_test_send(*, campaign: Campaign, user: AbstractBaseUser) -> None:
    """A copy to the staff member, with a harmless unsubscribe link (a test mail unsubscribes nobody)."""
    mail = _campaign_mail(
        campaign,
        recipient=user.email,
        name=user.get_full_name() or user.username,
        unsubscribe=absolute_url(reverse("explorers_network:campaign_detail", args=[campaign.pk])),
        html_body=render_markdown(campaign.body),
    )
    mail.headers = {}
    delivery_create(mail=mail, kind=Delivery.Kind.TEST, period=f"campaign-{campaign.pk}-{timezone.now().isoformat()}")


class _UnsubscribeLinks:
    """`unsubscribe_url` for many explorers: the view's path is reversed and the signer keyed once,
    not once per member (together they cost more than the rest of a member's mail)."""

    def __init__(self) -> None:
        placeholder = "TOKEN"
        url = absolute_url(reverse("explorers_network:unsubscribe", args=[placeholder]))
        self.prefix, _, self.suffix = url.partition(placeholder)
        self.signer = signing.TimestampSigner(salt="explorer-unsubscribe")

    def url(self, explorer_id: int) -> str:
        # What signing.dumps({...}, salt=...) writes: the token `explorer_from_unsubscribe_token` reads.
        return f"{self.prefix}{self.signer.sign_object({'e': explorer_id, 'l': LIST_ID})}{self.suffix}"


def _mailable(explorers, *, chunk_size: int = 1000):
    """The explorers of an audience (confirmed and not withdrawn by the ledger) whose address no
    suppression stops, checked per recipient when the campaign starts (the hash is computed here,
    so one query per chunk)."""
    chunk: list[Explorer] = []

    def without_suppressed(chunk: list[Explorer]) -> list[Explorer]:
        hashes = {explorer.pk: email_hash(explorer.email) for explorer in chunk}
        suppressed = Suppression.objects.filter(address_hash__in=hashes.values())
        stopped = set(suppressed.values_list("address_hash", flat=True))
        return [explorer for explorer in chunk if hashes[explorer.pk] not in stopped]

    for explorer in explorers.iterator(chunk_size=chunk_size):
        chunk.append(explorer)
        if len(chunk) == chunk_size:
            yield from without_suppressed(chunk)
            chunk = []
    if chunk:
        yield from without_suppressed(chunk)


@transaction.atomic
def campaign_start(*, campaign_id: int) -> int:
    """Write one outbox row per audience member and enqueue them; safe to run twice (rows are unique)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.state == Campaign.State.DRAFT:
        return 0
    mails = _CampaignMails(campaign, html_body=render_markdown(campaign.body))
    links = _UnsubscribeLinks()
    written = 0

    def mails_to_write():
        nonlocal written
        for explorer in _mailable(campaign.audience().only("pk", "name", "email")):
            written += 1
            yield mails.mail(recipient=explorer.email, name=explorer.name, unsubscribe=links.url(explorer.pk))

    deliveries_create_many(mails=mails_to_write(), kind=Delivery.Kind.OUTREACH, campaign_id=campaign.pk)
    campaign.state = Campaign.State.SENDING
    campaign.started_at = campaign.started_at or timezone.now()
    campaign.save(update_fields=["state", "started_at", "updated_at"])
    pending = Delivery.objects.filter(campaign_id=campaign.pk, state=Delivery.State.PENDING)
    deliveries_enqueue(ids=pending.values_list("pk", flat=True))
    campaigns_finish(campaign_ids=[campaign.pk])  # an audience with nobody left to mail is sent at once
    return written


def campaign_send(*, campaign: Campaign, when: datetime.datetime | None = None, user=None) -> None:
    """Send now, or at `when`; the work happens in a task enqueued after commit. Recorded as `user`'s action.

    Who may send it (`Campaign.objects.editable_by`) is the caller's check, like every scope.
    """
    with transaction.atomic():
        action_record(action=ActionRecord.Action.SEND, user=user, obj=campaign)
        campaign.state = Campaign.State.SCHEDULED
        campaign.scheduled_for = when or timezone.now()
        campaign.save(update_fields=["state", "scheduled_for", "updated_at"])
        if when is None or when <= timezone.now():
            # Should the broker be down, beat's campaigns_start_due starts it a minute later.
            enqueue_after_commit("explorers_network.tasks.campaign_start", campaign_id=campaign.pk)


def campaigns_start_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Start scheduled campaigns whose time has come (run by celery beat)."""
    now = now or timezone.now()
    ids = list(
        Campaign.objects.filter(state=Campaign.State.SCHEDULED, scheduled_for__lte=now).values_list("pk", flat=True)
    )
    for campaign_id in ids:
        enqueue_after_commit("explorers_network.tasks.campaign_start", campaign_id=campaign_id)
    campaigns_finish()
    return ids


def campaigns_finish(*, campaign_ids: list[int] | None = None) -> int:
    """Mark sent the sending campaigns (of `campaign_ids`, or all) with no mail left to send.

    Run when a batch of their deliveries ends (`outbox.services.deliveries_sent`) and by beat, so a
    campaign reads "Sent" as soon as its last mail has gone, not only at the next beat.
    """
    # One probe of the (campaign, state) index per campaign: a subquery of every mail still pending
    # would read the whole remaining queue after each batch of a large campaign.
    sending = Campaign.objects.filter(state=Campaign.State.SENDING)
    if campaign_ids is not None:
        sending = sending.filter(pk__in=campaign_ids)
    left = Delivery.objects.filter(
        campaign_id=OuterRef("pk"), state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    )
    return sending.filter(~Exists(left)).update(state=Campaign.State.SENT)


def _ip_hash(ip: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def contact_rate_limited(*, ip: str) -> bool:
    """Counts this message: True when the client address has sent too many this hour."""
    return rate_limit_exceeded(scope="contact-ip", key=ip, limit=CONTACTS_PER_IP_PER_HOUR, window_seconds=3600)


def join_rate_limited(*, ip: str) -> bool:
    """Counts this sign-up: True when the client address has sent too many this hour (each one
    mails a confirmation to an address the visitor typed)."""
    return rate_limit_exceeded(scope="join-ip", key=ip, limit=JOINS_PER_IP_PER_HOUR, window_seconds=3600)


@transaction.atomic
def contact_request_create(
    *, name: str, email: str, country: str, message: str, organisation: str = "", language: str = "en", ip: str
) -> ContactRequest:
    """Store the message, tell staff (after commit) and acknowledge it to the sender, in the page's language."""
    request = ContactRequest.objects.create(
        name=name,
        email=email,
        country=country,
        organisation=organisation,
        message=message,
        language=language,
        ip_hash=_ip_hash(ip),
    )
    _send_acknowledgement(request)
    transaction.on_commit(lambda: contact_request_received.send(sender=ContactRequest, contact_request=request))
    return request


def _send_acknowledgement(request: ContactRequest) -> None:
    """A short receipt that quotes nothing the sender typed but their name: the form takes any
    address, so the mail must be useless to someone who types another person's, and a few a day
    per address is enough for a person."""
    recent = Delivery.objects.filter(
        kind=Delivery.Kind.CONTACT_ACK,
        recipient=request.email.strip().lower(),
        created_at__gte=timezone.now() - datetime.timedelta(hours=24),
    ).count()
    if recent >= ACKNOWLEDGEMENTS_PER_DAY:
        return
    context = {"contact": request, "privacy_url": absolute_url(reverse("explorers_network:contact_privacy"))}
    mail = mail_rendered(
        recipient=request.email,
        language=request.language,
        subject=gettext_lazy("We have received your message"),
        template="explorers_network/mail/contact_ack",
        context=context,
    )
    delivery_create(mail=mail, kind=Delivery.Kind.CONTACT_ACK, period=f"contact-{request.pk}")


def _locked_request(contact_request: ContactRequest) -> ContactRequest:
    return ContactRequest.objects.select_for_update().get(pk=contact_request.pk)


def contact_request_reply_send(*, contact_request: ContactRequest, user: AbstractBaseUser) -> ContactRequestNote:
    """Mail the saved reply to the sender in their language, keep it in the thread, and mark the
    request answered (its owner, if it had none, becomes the one who answered). Recorded as `user`'s.

    Who may reply (`ContactRequest.objects.editable_by`) is the caller's check, like every scope.
    """
    with transaction.atomic():
        request = _locked_request(contact_request)
        text = request.reply_draft.strip()
        if not text:
            raise ValidationError(_("Write the reply first."))
        note = ContactRequestNote.objects.create(
            contact_request=request, author=user, kind=ContactRequestNote.Kind.REPLY, body=text
        )
        context = {"contact": request, "reply": text}
        mail = mail_rendered(
            recipient=request.email,
            language=request.language,
            subject=gettext_lazy("Re: your message to the Governance program"),
            template="explorers_network/mail/contact_reply",
            context=context,
        )
        delivery_create(mail=mail, kind=Delivery.Kind.CONTACT_REPLY, period=f"contact-{request.pk}-reply-{note.pk}")
        request.reply_draft = ""
        request.status = ContactRequest.Status.ANSWERED
        request.answered_at = timezone.now()
        if request.owner_id is None and request.may_be_owned_by(user):
            request.owner = user
        request.save(update_fields=["reply_draft", "status", "answered_at", "owner", "updated_at"])
        action_record(action=ActionRecord.Action.REPLY, user=user, obj=request, summary={"outbox.Delivery": 1})
    return note


def contact_request_stakeholder_initial(*, contact_request: ContactRequest, user: AbstractBaseUser) -> dict:
    """The stakeholder form's values taken from the request: the organisation (or the person), in
    its country when the user's team may place stakeholders there. The message stays on the request."""
    country = Country.objects.editable_by(user).filter(code=contact_request.country).first()
    is_organisation = bool(contact_request.organisation.strip())
    return {
        "name": contact_request.organisation.strip() if is_organisation else contact_request.name,
        "kind": Stakeholder.Kind.ORGANISATION if is_organisation else Stakeholder.Kind.PERSON,
        "country": country.pk if country else None,
    }


@transaction.atomic
def contact_request_stakeholder_create(
    *, contact_request: ContactRequest, form: ModelForm, user: AbstractBaseUser
) -> Stakeholder:
    """Save a valid `StakeholderForm`, add the sender as the stakeholder's contact person, link the request to it."""
    request = _locked_request(contact_request)
    stakeholder = form.save()
    contact = Contact(
        stakeholder=stakeholder, name=request.name, email=request.email, preferred_language=request.language
    )
    save_valid(contact)
    request.stakeholder = stakeholder
    if request.status == ContactRequest.Status.NEW:
        request.status = ContactRequest.Status.IN_PROGRESS
    request.save(update_fields=["stakeholder", "status", "updated_at"])
    return stakeholder


def invitation_url(contact_request: ContactRequest) -> str:
    token = signing.dumps({"c": contact_request.pk}, salt="explorer-invitation")
    return absolute_url(f"{reverse('explorers_network:join')}?invitation={token}")


def contact_request_from_invitation(token: str) -> ContactRequest | None:
    """The request an invitation link was mailed for; None for a bad or expired link."""
    try:
        data = signing.loads(token, salt="explorer-invitation", max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return ContactRequest.objects.filter(pk=data.get("c")).first()


def explorer_invitation_refusal(*, contact_request: ContactRequest) -> str:
    """Why the sender may not be invited to the Explorers ("" when they may)."""
    explorer = Explorer.objects.filter(email__iexact=contact_request.email.strip()).first()
    if explorer is not None and explorer.status == Explorer.Status.UNSUBSCRIBED:
        return _("This address withdrew from the Explorers: only the person can join again.")
    if explorer is not None:
        return _("This address is already in the Explorers network.")
    if contact_request.invited_at is not None:
        return _("This person has already been invited.")
    return ""


def contact_request_invite_explorer(*, contact_request: ContactRequest, user: AbstractBaseUser) -> Delivery:
    """Mail the sender a link to the join page, filled in from the request.

    Only an invitation: joining stays the person's own act. They tick the consent on the join
    page and confirm their address by mail, as everyone who joins does (the consent ledger
    records both). Someone already in the network, or who withdrew from it, is not invited.
    Recorded as `user`'s action; the caller checks the scope.
    """
    with transaction.atomic():
        request = _locked_request(contact_request)
        refusal = explorer_invitation_refusal(contact_request=request)
        if refusal:
            raise ValidationError(refusal)
        context = {"contact": request, "join_url": invitation_url(request), "days": INVITATION_MAX_AGE.days}
        mail = mail_rendered(
            recipient=request.email,
            language=request.language,
            subject=gettext_lazy("An invitation to the Governance Explorers"),
            template="explorers_network/mail/contact_invitation",
            context=context,
        )
        delivery = delivery_create(mail=mail, kind=Delivery.Kind.NETWORK_INVITATION, period=f"contact-{request.pk}")
        request.invited_at = timezone.now()
        if request.status == ContactRequest.Status.NEW:
            request.status = ContactRequest.Status.IN_PROGRESS
        request.save(update_fields=["invited_at", "status", "updated_at"])
        action_record(action=ActionRecord.Action.INVITE, user=user, obj=request, summary={"outbox.Delivery": 1})
    return delivery
