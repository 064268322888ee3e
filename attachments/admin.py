from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    list_display = ["title", "kind", "target_type", "target_id", "mime_type", "size", "uploaded_by", "created_at"]
    list_filter = ["kind", "target_type", "mime_type"]
    list_select_related = ["target_type", "uploaded_by"]
    search_fields = ["title", "original_name"]
    # Files are attached from their record's page or the API (their type checked, photos stripped
    # of metadata); the admin only shows them.
    readonly_fields = [
        "target_type",
        "target_id",
        "title",
        "kind",
        "file",
        "thumbnail",
        "original_name",
        "mime_type",
        "size",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
