from django.contrib import admin

from core.admin import ScopedAdmin, TabularInline

from . import services
from .models import ContactRequest, ContactRequestNote, Explorer, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Explorer)
class ExplorerAdmin(ScopedAdmin):
    list_display = ["name", "email", "country", "status", "preferred_language", "confirmed_at"]
    list_filter = ["status", "preferred_language", "country"]
    search_fields = ["name", "email", "organisation"]
    autocomplete_fields = ["interests"]
    date_hierarchy = "created_at"
    # The ledger's: changed only by the consent services, which write its events.
    readonly_fields = ["status", "confirmed_at", "consent_text_version", "consent_given_at", "consent_source"]

    def save_model(self, request, obj, form, change) -> None:
        """A new address goes through the service, which starts a new confirmation."""
        if change and "email" in form.changed_data:
            email, obj.email = obj.email, form.initial["email"]
            super().save_model(request, obj, form, change)
            services.explorer_change_email(explorer=obj, email=email)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


class ContactRequestNoteInline(TabularInline):
    model = ContactRequestNote
    fields = ["created_at", "kind", "author", "body"]
    readonly_fields = ["created_at", "kind", "author", "body"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Notes are written on the request's page, with their author; replies only by sending them.
        return False


@admin.register(ContactRequest)
class ContactRequestAdmin(ScopedAdmin):
    list_display = ["name", "organisation", "country", "status", "owner", "created_at"]
    list_filter = ["status", "country", "language"]
    list_select_related = ["owner"]
    search_fields = ["name", "organisation", "email"]
    date_hierarchy = "created_at"
    fields = [
        "name",
        "organisation",
        "country",
        "email",
        "language",
        "message",
        "status",
        "owner",
        "answered_at",
        "stakeholder",
        "invited_at",
    ]
    # What the sender wrote stays as they wrote it; the work on it is status and owner.
    readonly_fields = [
        "name",
        "organisation",
        "country",
        "email",
        "language",
        "message",
        "answered_at",
        "stakeholder",
        "invited_at",
    ]
    inlines = [ContactRequestNoteInline]
