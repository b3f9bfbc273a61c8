from django.urls import path

from dialogues import views

urlpatterns = [
    path("dialogues/", views.dialogue_list, name="dialogue-list"),
    path("dialogues/new/", views.dialogue_edit, name="dialogue-create"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue-detail"),
    path("dialogues/<int:pk>/edit/", views.dialogue_edit, name="dialogue-edit"),
    path("dialogues/<int:pk>/comment/", views.dialogue_comment, name="dialogue-comment"),
    path("dialogues/<int:pk>/confirm/", views.dialogue_confirm, name="dialogue-confirm"),
    path("dialogues/actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("partners/<int:pk>/before-dialogue/", views.dialogue_brief, name="dialogue-brief"),
]
