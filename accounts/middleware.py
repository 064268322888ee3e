from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device

from . import two_factor


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's, answering "did this session give its second factor?" without reading the device.

    django-otp loads the session's device on every request. Here the session is verified when it
    names a device and its answers are as recent as the user's `two_factor_epoch` (read with the
    user): `django_otp.login` stored the device only after checking it is the user's and confirmed,
    and any change of a device since moves the epoch, which unverifies the session. The device
    itself is read only if something asks for it (`request.user.otp_device.name`).
    """

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            user.otp_device = self._verified_device(request, user)
        return user

    async def _verify_user_async_via_auser(self, request, auser):
        user = await auser()
        self._init_user_fields(user)
        if user.is_authenticated:
            user.otp_device = self._verified_device(request, user)
        return user

    def _verified_device(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not persistent_id:
            return None
        if not two_factor.is_current(request, user):
            del request.session[DEVICE_ID_SESSION_KEY]
            return None
        return SimpleLazyObject(partial(Device.from_persistent_id, self._normalize_persistent_id(persistent_id)))


#: Views a pending session may open: the second step itself, signing out, the language switch.
PENDING_VIEWS = {"login", "logout", "set_language", "two_factor_verify", "two_factor_setup"}


class TwoFactorMiddleware:
    """Holds a session that has given its password but not its second factor to the second step.

    Pages redirect to the code page (or to enrolment for a user who must enrol); the API sees no
    session at all, so a token still works but a half-signed-in browser does not.
    Place it after `OTPMiddleware` (above).
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
