from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    list_display = ["title", "kind", "target_type", "target_id", "mime_type", "size", "uploaded_by", "created_at"]
    list_filter = ["kind", "target_type", "mime_type"]
    list_select_related = ["target_type", "uploaded_by"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["file", "thumbnail", "original_name", "mime_type", "size", "uploaded_by"]
    autocomplete_fields = []
