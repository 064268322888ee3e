from django.contrib import admin


class ScopedAdmin(admin.ModelAdmin):
    """Admin pages reach rows through the same `visible_to(user)` as views and the API."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
