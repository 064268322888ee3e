from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import language_set

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's language switch, wrapped so a signed-in user's choice is kept as their preference.
    path("i18n/setlang/", language_set, name="set_language"),
    path("accounts/", include("accounts.auth_urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("attachments.urls")),
    path("", include("stakeholders.urls")),
    path("", include("coalitions.urls")),
    path("", include("explorers_network.urls")),
    path("", include("notifications.urls")),
    path("", include("website.urls")),
    path("", include("planning.urls")),
    path("", include("imports.urls")),
    path("", include("results.urls")),
    path("", include("trends.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
