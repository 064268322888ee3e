from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor

#: Views a pending session may open: the second step itself, signing out, the language switch.
PENDING_VIEWS = {"login", "logout", "set_language", "two_factor_verify", "two_factor_setup"}


class TwoFactorMiddleware:
    """Holds a session that has given its password but not its second factor to the second step.

    Pages redirect to the code page (or to enrolment for a user who must enrol); the API sees no
    session at all, so a token still works but a half-signed-in browser does not.
    Place it after django_otp's OTPMiddleware.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session (a token, an anonymous visitor): nothing to look up
        if not two_factor.is_pending(request):
            return None
        match = request.resolver_match
        if match.url_name in PENDING_VIEWS and not match.namespaces:
            return None
        if "api" in match.namespaces:
            request.user = AnonymousUser()
            return None
        step = two_factor.next_step(request)
        if step is None:
            return None
        if request.headers.get("HX-Request"):
            # A fragment (the notifications badge, a picker) must not become the code page
            # swapped into a corner of the current one.
            return HttpResponseForbidden()
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
