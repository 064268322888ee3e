from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Explorer, Topic


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
