"""Story attachments, served only through access-checked views."""

from django.urls import path

from progress import attachment_views

urlpatterns = [
    path(
        "stories/attachments/<int:pk>/",
        attachment_views.attachment_download,
        name="story-attachment",
    ),
]
