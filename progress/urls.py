from django.urls import include, path, re_path

from portal.exports import FORMAT_PATTERN
from progress import views

urlpatterns = [
    path("stories/", views.story_list, name="story-list"),
    path("stories/new/", views.story_create, name="story-create"),
    re_path(rf"^stories/export\.{FORMAT_PATTERN}$", views.story_export, name="story-export"),
    path("stories/<int:pk>/", views.story_detail, name="story-detail"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story-edit"),
    path("stories/<int:pk>/review/", views.story_review, name="story-review"),
    path("stories/<int:pk>/comment/", views.story_comment, name="story-comment"),
    path(
        "stories/<int:pk>/withdraw-consent/",
        views.story_withdraw_consent,
        name="story-withdraw-consent",
    ),
    path("", include("progress.link_urls")),
    path("", include("progress.attachment_urls")),
]
