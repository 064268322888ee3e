from django.urls import path

from . import views

app_name = "explorers_network"
urlpatterns = [
    path("network/join/", views.join, name="join"),
    path("network/join/thanks/", views.join_thanks, name="join_thanks"),
    path("network/confirm/<str:token>/", views.confirm, name="confirm"),
    path("network/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
    path("contact/privacy/", views.contact_privacy, name="contact_privacy"),
    path("outreach/campaigns/", views.campaign_list, name="campaign_list"),
    path("outreach/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("outreach/campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("outreach/campaigns/<int:pk>/edit/", views.campaign_update, name="campaign_update"),
    path("outreach/campaigns/<int:pk>/send/", views.campaign_send, name="campaign_send"),
    path("outreach/campaigns/<int:pk>/test/", views.campaign_test, name="campaign_test"),
    path("outreach/campaigns/<int:pk>/progress/", views.campaign_progress, name="campaign_progress"),
    path("outreach/audience-count/", views.audience_count, name="audience_count"),
    path("outreach/explorers/", views.explorer_list, name="explorer_list"),
    path("outreach/explorers/export/", views.list_export, {"table": "explorers"}, name="explorer_export"),
    path("outreach/explorers/<int:pk>/", views.explorer_detail, name="explorer_detail"),
    path("outreach/contact-requests/", views.contact_list, name="contact_list"),
    path("outreach/contact-requests/export/", views.list_export, {"table": "contact-requests"}, name="contact_export"),
    path("outreach/contact-requests/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("outreach/contact-requests/<int:pk>/edit/", views.contact_update, name="contact_update"),
    path("outreach/contact-requests/<int:pk>/notes/new/", views.contact_note_create, name="contact_note_create"),
    path("outreach/contact-requests/<int:pk>/reply/", views.contact_reply, name="contact_reply"),
    path("outreach/contact-requests/<int:pk>/reply/send/", views.contact_reply_send, name="contact_reply_send"),
    path(
        "outreach/contact-requests/<int:pk>/stakeholder/",
        views.contact_stakeholder_create,
        name="contact_stakeholder_create",
    ),
    path("outreach/contact-requests/<int:pk>/invite/", views.contact_invite, name="contact_invite"),
]
