from django.contrib import admin

from . import two_factor


class AdminSite(admin.AdminSite):
    """Django's admin, closed to a session that still owes its second factor (django-otp's
    OTPAdminSite does the same for every user; here only where a factor is required or set up)."""

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and not two_factor.is_pending(request)
