from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("attachments/<str:model>/<int:pk>/upload/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
