from django.contrib import admin

from .forms import ValidatedModelForm


class ScopedAdmin(admin.ModelAdmin):
    """Admin pages reach rows through the same `visible_to(user)` as views and the API, and
    validate them the same way (`ValidatedModelForm`: every rule of the model, many-to-many ones too)."""

    form = ValidatedModelForm

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class TabularInline(admin.TabularInline):
    """An inline whose rows run every rule of their model, the parent's constraints included."""

    form = ValidatedModelForm


class StackedInline(admin.StackedInline):
    form = ValidatedModelForm
