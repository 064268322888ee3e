from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ScopedAdmin, StackedInline

from .importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, stakeholders_import_csv
from .models import Contact, Relationship, Stakeholder, Tag

MAX_IMPORT_BYTES = 25 * 1024 * 1024  # ten times a 50,000-row sheet


class StakeholderImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("CSV in any common encoding and separator (comma, semicolon, tab), or an Excel workbook (.xlsx)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 25 MB; split it or use the import command."))
        return upload


class ContactInline(StackedInline):
    model = Contact
    extra = 0


@admin.register(Tag)
class TagAdmin(ScopedAdmin):
    list_display = ["name", "country", "updated_at"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name", "key"]
    autocomplete_fields = ["country"]


@admin.register(Stakeholder)
class StakeholderAdmin(ScopedAdmin):
    list_display = ["name", "acronym", "kind", "sector", "level", "country", "updated_at"]
    list_filter = ["country", "sector", "level", "kind"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["country", "regions", "municipality", "tags", "organisation"]
    inlines = [ContactInline]
    change_list_template = "admin/stakeholders/stakeholder/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_csv_view)
        return [path("import/", view, name="stakeholders_stakeholder_import"), *super().get_urls()]

    def import_csv_view(self, request):
        """Upload a CSV; every bad row is listed with its line, and nothing is imported unless all are good."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors = []
        form = StakeholderImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = stakeholders_import_csv(file=form.cleaned_data["file"].read(), user=request.user)
            if result.ok:
                message = ngettext(
                    "Imported %(count)d stakeholder.", "Imported %(count)d stakeholders.", result.created
                ) % {"count": result.created}
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:stakeholders_stakeholder_changelist")
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import stakeholders from CSV"),
            "form": form,
            "errors": errors,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
        }
        return TemplateResponse(request, "admin/stakeholders/stakeholder/import.html", context)


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
