from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ScopedAdmin, StrictInitialMixin

from . import services
from .lockout import lift_lockouts
from .models import ApiToken, Invitation, SavedFilter, SignInFailure, User


@admin.register(User)
class UserAdmin(StrictInitialMixin, DjangoUserAdmin):
    list_display = ["username", "email", "role", "organisation", "is_active", "two_factor", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "country_teams"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["country_teams", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Program access"), {"fields": ["role", "country_teams", "organisation", "preferred_language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Program access"), {"fields": ["role", "country_teams", "organisation"]}),
    ]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor_on=Exists(devices))

    @admin.display(boolean=True, description=_("two-step sign-in"), ordering="two_factor_on")
    def two_factor(self, obj) -> bool:
        return obj.two_factor_on

    @admin.action(description=_("Reset two-step sign-in (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset) -> None:
        """The recovery path for a lost device: the users set up two-step sign-in again at their
        next sign-in. Recorded in each user's history and in the `accounts.security` log."""
        for user in queryset:
            services.two_factor_reset(user=user, by=request.user, reason="lost device (admin action)")
        self.message_user(
            request,
            ngettext(
                "Two-step sign-in reset for %(count)d user: they set it up again at their next sign-in.",
                "Two-step sign-in reset for %(count)d users: they set it up again at their next sign-in.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


class LockedOutFilter(admin.SimpleListFilter):
    title = _("locked out")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(SignInFailureAdmin.locked_condition())
        if self.value() == "no":
            return queryset.exclude(SignInFailureAdmin.locked_condition())
        return queryset


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    """Who is locked out: an account (its failures from any address) or an address (failures for
    any account) past its limit within the cool-off. "Lift" forgets the failures of both."""

    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "account_failures",
        "address_failures",
        "locked",
        "path_info",
    ]
    list_filter = [LockedOutFilter]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "failures_since_start"]
    readonly_fields = fields
    actions = ["lift"]

    @staticmethod
    def _recent():
        return SignInFailure.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())

    @classmethod
    def _total(cls, field: str) -> Coalesce:
        totals = (
            cls._recent()
            .filter(**{field: OuterRef(field)})
            .order_by()
            .values(field)
            .annotate(total=Sum("failures_since_start"))
            .values("total")
        )
        return Coalesce(Subquery(totals, output_field=IntegerField()), 0)

    @staticmethod
    def locked_condition() -> Q:
        return Q(attempt_time__gte=timezone.now() - get_cool_off()) & (
            Q(account_total__gte=settings.AXES_FAILURE_LIMIT, username__isnull=False)
            | Q(address_total__gte=settings.SIGNIN_FAILURE_LIMIT_PER_IP, ip_address__isnull=False)
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(account_total=self._total("username"), address_total=self._total("ip_address"))
        )

    @admin.display(description=_("failures of the account"), ordering="account_total")
    def account_failures(self, obj) -> int:
        return obj.account_total if obj.username else 0

    @admin.display(description=_("failures from the address"), ordering="address_total")
    def address_failures(self, obj) -> int:
        return obj.address_total

    @admin.display(boolean=True, description=_("locked out"))
    def locked(self, obj) -> bool:
        recent = obj.attempt_time >= timezone.now() - get_cool_off()
        return recent and (
            (bool(obj.username) and obj.account_total >= settings.AXES_FAILURE_LIMIT)
            or obj.address_total >= settings.SIGNIN_FAILURE_LIMIT_PER_IP
        )

    @admin.action(description=_("Lift the lockout of these accounts and addresses"), permissions=["delete"])
    def lift(self, request, queryset) -> None:
        rows = list(queryset.values_list("username", "ip_address"))
        usernames = {username for username, _ip in rows if username}
        addresses = {ip for _username, ip in rows if ip}
        lift_lockouts(usernames=usernames, ip_addresses=addresses)
        services.security_log.warning(
            "lockout lifted by %s: accounts=%s addresses=%s",
            request.user.get_username(),
            sorted(usernames),
            sorted(addresses),
        )
        self.message_user(
            request,
            _("Lifted: these accounts and addresses may sign in again now."),
            messages.SUCCESS,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # lifting is the one way to remove failures
        return actions

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """Everyone's tokens, for admins: see them and revoke them (deleting is revoking, through the
    service). People make their own on their tokens page; scripts use `create_api_token`."""

    list_display = ["name", "user", "token_key", "created_at", "expiry", "last_used_at"]
    list_filter = ["user__role"]
    list_select_related = ["user"]
    search_fields = ["name", "token_key", "user__username"]
    date_hierarchy = "created_at"
    fields = ["name", "user", "token_key", "created_at", "expiry", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        services.api_token_revoke(token=obj)

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset:
            services.api_token_revoke(token=token)


@admin.register(Invitation)
class InvitationAdmin(ScopedAdmin):
    """Invitations are sent from the Invitations page (the service checks who may invite into
    what); here admins follow them, send them again or withdraw them."""

    list_display = ["email", "role", "country", "organisation", "status", "invited_by", "expires_at", "created_at"]
    list_filter = ["status", "role", "country"]
    list_select_related = ["country", "organisation", "invited_by"]
    search_fields = ["email", "organisation__name"]
    date_hierarchy = "created_at"
    fields = ["email", "role", "country", "organisation", "language", "status", "invited_by", "user", "expires_at"]
    readonly_fields = fields
    actions = ["resend", "withdraw"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdrawn, never deleted: the row is the record of the invitation

    @admin.action(description=_("Send again (the previous link stops working)"))
    def resend(self, request, queryset) -> None:
        sent = [services.invitation_resend(invitation=invitation) for invitation in queryset.pending()]
        self.message_user(
            request,
            ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", len(sent))
            % {"count": len(sent)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw (the link stops working)"))
    def withdraw(self, request, queryset) -> None:
        withdrawn = [services.invitation_withdraw(invitation=invitation) for invitation in queryset.pending()]
        self.message_user(
            request,
            ngettext("%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", len(withdrawn))
            % {"count": len(withdrawn)},
            messages.SUCCESS,
        )


@admin.register(SavedFilter)
class SavedFilterAdmin(ScopedAdmin):
    list_display = ["name", "path", "owner", "shared_with_country", "created_at"]
    list_filter = ["path", "shared_with_country"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner", "shared_with_country"]
    autocomplete_fields = ["owner", "shared_with_country"]
