from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Contact, Relationship, Stakeholder


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


@admin.register(Stakeholder)
class StakeholderAdmin(ScopedAdmin):
    list_display = ["name", "acronym", "kind", "sector", "level", "country", "updated_at"]
    list_filter = ["country", "sector", "level", "kind"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["country", "regions", "organisation"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ["name", "position", "stakeholder", "email", "preferred_language", "consent_given_at"]
    list_filter = ["preferred_language", "stakeholder__country"]
    list_select_related = ["stakeholder"]
    search_fields = ["name", "email", "stakeholder__name"]
    autocomplete_fields = ["stakeholder"]
    date_hierarchy = "consent_given_at"


@admin.register(Relationship)
class RelationshipAdmin(ScopedAdmin):
    list_display = ["source", "kind", "target", "strength", "since"]
    list_filter = ["kind", "strength", "source__country"]
    list_select_related = ["source", "target"]
    search_fields = ["source__name", "target__name", "notes"]
    autocomplete_fields = ["source", "target"]
    date_hierarchy = "since"
