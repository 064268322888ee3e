from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and access")
    default = True

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import receivers, two_factor  # noqa: F401 (receivers: device changes move the epoch)

        def remember_devices(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                two_factor.remember_devices(request, user)

        user_logged_in.connect(remember_devices, dispatch_uid="accounts.two_factor.remember_devices", weak=False)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's site (accounts/admin_site.py)."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
