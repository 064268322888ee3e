"""Signing in (password, then the second factor where needed), password reset, two-factor pages,
API tokens, invitations, and the activity feed of a country team."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from django.views.i18n import set_language
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import staff_required
from core.client_ip import client_ip
from core.history.display import change_views
from core.models import ObjectChange
from core.services import row_delete
from core.views import confirm_action, get_editable_or_403, get_editable_or_404

from . import services, two_factor
from .forms import (
    SAVED_FILTER_QUERY_MAX,
    ActivityFilterForm,
    ApiTokenCreateForm,
    InvitationAcceptForm,
    InvitationForm,
    PasswordResetRequestForm,
    SavedFilterForm,
    TwoFactorCodeForm,
    TwoFactorSetupForm,
    filter_query,
    saved_filter_page_read,
)
from .lockout import is_locked_out, lift_lockouts, lockout_response, record_failure
from .models import ApiToken, Invitation, SavedFilter

#: Recovery codes just made, kept in the session until the page that shows them once.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def home_url(user) -> str:
    """Where a user lands after signing in: staff on the dashboard, a partner (who has no staff
    pages) on `PARTNER_HOME_URL`, the partner portal with their coalitions."""
    return resolve_url(settings.PARTNER_HOME_URL) if getattr(user, "is_partner", False) else settings.LOGIN_REDIRECT_URL


def _next_url(request, fallback: str | None = None) -> str:
    """The `next` the user came with, if it points at this site; the user's home otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback if fallback is not None else home_url(request.user)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@require_POST
def language_set(request):
    """Django's language switch (its cookie, and its check that `next` stays on this site, by
    `url_has_allowed_host_and_scheme`); a signed-in user's choice becomes their preferred language."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response


class LoginView(auth_views.LoginView):
    """Django's sign-in; a user who owes a second factor goes straight on to it. The pages then
    speak the user's preferred language (the language cookie the switch sets, set here)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        language = self.request.user.preferred_language
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def get_success_url(self) -> str:
        url = self.get_redirect_url() or home_url(self.request.user)
        if two_factor.is_pending(self.request):
            step = two_factor.next_step(self.request)
            if step:
                return _with_next(step, url)
        return url


class PasswordResetView(FormView):
    """Ask for a reset link. Every address gets the same answer; the mail goes through the outbox."""

    template_name = "registration/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        if is_locked_out(request):
            return lockout_response(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not services.password_reset_request(
            email=form.cleaned_data["email"], ip=client_ip(self.request), language=get_language()
        ):
            form.add_error(None, _("Too many reset requests from your network. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A made-up or stale link counts as a failed sign-in of the client address (links are
    guessable only by brute force); a new password lifts the account's own lockout."""

    def dispatch(self, request, *args, **kwargs):
        if is_locked_out(request):
            return lockout_response(request)
        response = super().dispatch(request, *args, **kwargs)
        if not self.validlink and response.status_code == 200:
            record_failure(request)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_lockouts(usernames={self.user.get_username()}, ip_addresses=set())
        return response


@never_cache
@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the app or a recovery code."""
    next_url = _next_url(request)
    if not two_factor.is_pending(request):
        return redirect(next_url)
    if not two_factor.has_device(request.user):
        step = two_factor.next_step(request)
        return redirect(_with_next(step, next_url) if step else next_url)
    username = request.user.get_username()
    if is_locked_out(request, username=username):
        return lockout_response(request)
    form = TwoFactorCodeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            django_otp.login(request, form.device)
            two_factor.remember_devices(request, request.user)
            if isinstance(form.device, StaticDevice):
                left = form.device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(count)d code is left: make new ones soon.",
                        "You signed in with a recovery code. %(count)d codes are left: make new ones soon.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        record_failure(request, username=username)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code (or type the key), then prove it with the first code."""
    next_url = _next_url(request, fallback=reverse("two_factor"))
    if two_factor.is_pending(request) and two_factor.has_device(request.user):
        return redirect(_with_next("two_factor_verify", next_url))
    device = services.two_factor_device_start(user=request.user)
    form = TwoFactorSetupForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(user=request.user, device=device)
        django_otp.login(request, device)
        two_factor.remember_devices(request, request.user)  # the enrolment moved the epoch on
        request.session[NEW_CODES_SESSION_KEY] = codes
        return redirect(_with_next("two_factor_recovery_codes", next_url))
    import segno  # only where a device is enrolled: a web worker need not hold it

    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "replacing": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_recovery_codes(request):
    """New recovery codes are shown here once; a POST makes a new set (the old one stops working)."""
    if not two_factor.has_device(request.user):
        return redirect("two_factor")
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = services.two_factor_recovery_codes_create(user=request.user)
        return redirect("two_factor_recovery_codes")
    context = {
        "codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "left": services.two_factor_recovery_codes_left(user=request.user),
        "next": _next_url(request, fallback=reverse("two_factor")),
    }
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@never_cache
@login_required
def two_factor_overview(request):
    """Whether the account uses a second factor, and the buttons to set it up or make new codes."""
    context = {
        "enabled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "required": two_factor.is_required(request.user),
        "left": services.two_factor_recovery_codes_left(user=request.user),
    }
    return render(request, "accounts/two_factor.html", context)


FEED_PAGE_SIZE = 50


@staff_required
def activity(request):
    """Staff see the changes of their countries' records; admins see every change."""
    user = request.user
    form = ActivityFilterForm(request.GET or None, reader=user)
    changes = ObjectChange.objects.select_related("actor", "content_type")
    if not user.is_admin:
        changes = changes.filter(country_pk__in=user.team_country_ids)
    if form.is_valid():
        country, model, actor = (form.cleaned_data[name] for name in ("country", "model", "user"))
        if country is not None:
            changes = changes.filter(country_pk=country.pk)
        if model:
            app_label, model_name = model.split(".")
            changes = changes.filter(content_type=ContentType.objects.get_by_natural_key(app_label, model_name))
        if actor is not None:
            changes = changes.filter(actor=actor)
    page = Paginator(changes, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "changes": change_views(list(page.object_list)),
        "show_record": True,
        "nav_section": "activity",
    }
    return render(request, "accounts/activity.html", context)


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal on the form: beside the field it names, or for the whole form."""
    for name, messages_ in error.update_error_dict({}).items():
        form.add_error(name if name in form.fields else None, messages_)


#: A token just made: its secret is kept in the session only until the page that shows it once.
NEW_TOKEN_SESSION_KEY = "api_token_new"  # noqa: S105 (a session key, not a secret)


@never_cache
@login_required
def token_list(request):
    """Your API tokens (staff and partners alike): make one, see when each was last used, revoke."""
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_days=form.cleaned_data["expires_days"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"pk": token.pk, "secret": secret}
            return redirect("accounts:token_list")
    context = {
        "form": form,
        "tokens": ApiToken.objects.owned_by(request.user),
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
        "now": timezone.now(),
    }
    return render(request, "accounts/apitoken_list.html", context)


@never_cache
@login_required
def token_revoke(request, pk: int):
    """Confirm, then revoke one of your tokens; someone else's is a 404, like a missing one."""
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)
    if request.method == "POST":
        services.api_token_revoke(token=token)
        messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
        return redirect("accounts:token_list")
    return render(request, "accounts/apitoken_confirm_revoke.html", {"token": token})


@never_cache
@login_required
def token_revoke_all(request):
    """Confirm, then revoke every token of yours (a lost laptop, a leaked script)."""
    tokens = ApiToken.objects.owned_by(request.user)
    if request.method == "POST":
        count = services.api_token_revoke_all(user=request.user)
        messages.success(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
        )
        return redirect("accounts:token_list")
    return render(request, "accounts/apitoken_confirm_revoke.html", {"count": tokens.count()})


INVITATIONS_PAGE_SIZE = 50


@staff_required
def invitation_list(request):
    """The invitations into the reader's countries, newest first, with their state."""
    invitations = Invitation.objects.visible_to(request.user).select_related(
        "country", "organisation", "invited_by", "user"
    )
    page = Paginator(invitations, INVITATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/invitation_list.html", {"page": page, "invitations": page.object_list})


@staff_required
def invitation_create(request):
    """Invite a person of a partner organisation, or a colleague, by mail."""
    form = InvitationForm(request.POST or None, inviter=request.user, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                by=request.user,
                email=data["email"],
                role=data["role"],
                language=data["language"],
                country=data["country"],
                organisation=data["organisation"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitation_list")
    context = {"form": form, "valid_days": settings.INVITATION_VALID_DAYS}
    return render(request, "accounts/invitation_form.html", context)


@staff_required
def invitation_resend(request, pk: int):
    """Confirm, then send a new mail with a new link; the previous link stops working."""
    invitation = get_editable_or_403(Invitation.objects, request.user, pk=pk)

    def perform():
        try:
            services.invitation_resend(invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:invitation_list")

    return confirm_action(
        request,
        title=_("Send the invitation to %(email)s again") % {"email": invitation.email},
        consequences=[
            _("A new mail with a new link goes to %(email)s; a sent mail cannot be recalled.")
            % {"email": invitation.email},
            _("The link sent before stops working, and the new one is valid for %(days)s days.")
            % {"days": settings.INVITATION_VALID_DAYS},
        ],
        button=_("Send it again"),
        cancel_url=reverse("accounts:invitation_list"),
        perform=perform,
        danger=False,
    )


@staff_required
def invitation_withdraw(request, pk: int):
    """Confirm, then withdraw an invitation: its link stops working."""
    invitation = get_editable_or_403(Invitation.objects, request.user, pk=pk)
    if request.method == "POST":
        try:
            services.invitation_withdraw(invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
        return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_confirm_withdraw.html", {"invitation": invitation})


@never_cache
def invitation_accept(request, key: str):
    """The link in the invitation: choose a user name and password, and you are signed in (then
    set up two-step sign-in, where your role requires it)."""
    invitation = services.invitation_from_key(key=key)
    if invitation is None:
        return render(request, "accounts/invitation_accept.html", {"invitation": None}, status=404)
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                invitation=invitation,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            welcome = home_url(user)
            if two_factor.is_required(user):
                return redirect(_with_next("two_factor_setup", welcome))
            return redirect(welcome)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@staff_required
def savedfilter_panel(request):
    """A list page's saved-filters panel: its filters saved by the user or shared with their team, and
    the form to save the page's filters (`?page=`, the page and its parameters signed, and `?query=`).

    The list page loads it after its first paint (htmx), so a list costs no query for it; a browser
    without script follows the page's link to this page of its own.
    """
    token = request.GET.get("page", "")
    page = saved_filter_page_read(token)
    if page is None:
        raise Http404
    query = filter_query(request.GET.get("query", "")[:SAVED_FILTER_QUERY_MAX], page["params"])
    list_url = reverse(page["path"])
    context = {
        "form": SavedFilterForm(user=request.user, initial={"page": token, "query": query}),
        "saved_filters": SavedFilter.objects.visible_to(request.user).filter(path=page["path"]).select_related("owner"),
        "list_url": f"{list_url}?{query}" if query else list_url,
    }
    template = "accounts/includes/saved_filters.html" if request.htmx else "accounts/savedfilter_panel.html"
    return render(request, template, context)


@staff_required
@require_POST
def savedfilter_create(request):
    """Save the list page's filters (a POST from its saved-filters panel) and reopen the page with them."""
    form = SavedFilterForm(request.POST, user=request.user)
    if form.is_valid():
        saved = form.save()
        messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
        return redirect(saved.get_absolute_url())
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    page = form.cleaned_data.get("page")
    if page is None:
        return redirect("/")
    query = filter_query(form.data.get("saved_filter-query", "")[:SAVED_FILTER_QUERY_MAX], page["params"])
    return redirect(f"{reverse(page['path'])}?{query}" if query else reverse(page["path"]))


@staff_required
def savedfilter_delete(request, pk: int):
    """Asks first; someone else's saved filter (shared with you or not) is a 404."""
    saved = get_editable_or_404(SavedFilter.objects.all(), request.user, pk=pk)

    def perform():
        row_delete(obj=saved, user=request.user)
        messages.success(request, _("Saved filter removed."))
        return redirect(saved.path)

    return confirm_action(
        request,
        title=_("Remove the saved filter “%(name)s”") % {"name": saved.name},
        consequences=[
            _("The filter is no longer listed, for you or your country team; the list's rows do not change.")
        ],
        button=_("Remove the saved filter"),
        cancel_url=saved.get_absolute_url(),
        perform=perform,
    )
