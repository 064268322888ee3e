from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .access import may_change_reference_data
from .forms import ValidatedModelForm
from .models import ActionRecord, ObjectChange
from .parsing import parse_id
from .search import search_condition
from .services import row_delete


class StrictInitialMixin:
    """The add page's values from its query string (`?coalition=3`) keep only ids that are ids.

    Django puts them in the form as they are, and an autocomplete widget then looks up
    `?coalition=abc` in the database while rendering: a 500 for a link anyone can type.
    """

    def get_changeform_initial_data(self, request) -> dict:
        initial = super().get_changeform_initial_data(request)
        for name in list(initial):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:  # Django's form ignores it too
                continue
            if not field.is_relation or field.related_model is None:
                continue
            if field.target_field.get_internal_type() not in ("AutoField", "BigAutoField", "IntegerField"):
                continue
            values = initial[name] if isinstance(initial[name], list) else [initial[name]]
            if any(parse_id(value) is None for value in values):
                del initial[name]
        return initial


class ScopedAdmin(StrictInitialMixin, admin.ModelAdmin):
    """Admin pages reach rows through the same `visible_to(user)` as views and the API, and
    validate them the same way (`ValidatedModelForm`: every rule of the model, many-to-many ones too)."""

    form = ValidatedModelForm

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word, or quoted phrase, in one of the fields), accent- and case-blind
        like the pages' `q`, through the same condition (core.search.search_condition)."""
        fields = self.get_search_fields(request)
        if not search_term or not fields or any(field[0] in "^@" for field in fields):
            return super().get_search_results(request, queryset, search_term)
        condition = search_condition(self.model, fields, search_term)
        if condition is not None:
            queryset = queryset.filter(condition)
        duplicates = any(lookup_spawns_duplicates(self.opts, field) for field in fields)
        return queryset, duplicates

    # Deletions go through the pages' service: recorded, and a person's record erased everywhere
    # the personal-data registry lists, its history scrubbed (core/personal_data).

    def delete_model(self, request, obj) -> None:
        row_delete(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                row_delete(obj=obj, user=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        """An inline's deleted rows go through the same service; the rest saves as Django does."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            row_delete(obj=obj, user=request.user)
        for obj in instances:
            obj.save()
        formset.save_m2m()


class ReferenceDataAdmin(ScopedAdmin):
    """Reference data (countries, regions): every admin-site user may read it, only admins change
    it, as in the API (`core.access.REFERENCE_DATA`)."""

    def has_add_permission(self, request) -> bool:
        return may_change_reference_data(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return may_change_reference_data(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return may_change_reference_data(request.user) and super().has_delete_permission(request, obj)


class TabularInline(admin.TabularInline):
    """An inline whose rows run every rule of their model, the parent's constraints included."""

    form = ValidatedModelForm


class StackedInline(admin.StackedInline):
    form = ValidatedModelForm


class ObjectChangeAdmin(admin.ModelAdmin):
    """The history, read-only: written by core/history whatever the path, never by hand."""

    list_display = ["timestamp", "action", "content_type", "object_repr", "actor", "channel", "source"]
    list_filter = ["action", "channel", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "actor__username", "source"]
    date_hierarchy = "timestamp"
    fields = ["timestamp", "action", "content_type", "object_id", "object_repr", "actor", "channel", "source"]
    fields += ["cid", "remote_addr", "country_pk", "changes_table"]
    readonly_fields = fields

    @admin.display(description=_("Changes"))
    def changes_table(self, obj) -> str:
        from django.template.loader import render_to_string

        from core.history.display import change_views

        return render_to_string("core/includes/history_changes.html", {"changes": change_views([obj])})

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActionRecord)
class ActionRecordAdmin(admin.ModelAdmin):
    """Erasures, exports, deletions and sends, read-only: written by the services that perform them."""

    list_display = ["timestamp", "action", "model", "object_pk", "actor", "channel"]
    list_filter = ["action", "channel", "model"]
    list_select_related = ["actor"]
    date_hierarchy = "timestamp"
    readonly_fields = ["timestamp", "action", "model", "object_pk", "actor", "channel", "summary"]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# django-auditlog registers its own admin for the log entry model; this one replaces it.
if admin.site.is_registered(ObjectChange):
    admin.site.unregister(ObjectChange)
admin.site.register(ObjectChange, ObjectChangeAdmin)
