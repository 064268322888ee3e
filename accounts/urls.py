from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("tokens/revoke-all/", views.token_revoke_all, name="token_revoke_all"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("saved-filters/panel/", views.savedfilter_panel, name="savedfilter_panel"),
    path("saved-filters/", views.savedfilter_create, name="savedfilter_create"),
    path("saved-filters/<int:pk>/delete/", views.savedfilter_delete, name="savedfilter_delete"),
]
