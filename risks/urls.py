from django.urls import path

from risks import views

urlpatterns = [
    path("risks/", views.risk_list, name="risk-list"),
    path("risks/heat-map/", views.risk_heat_map, name="risk-heat-map"),
    path("risks/new/", views.risk_edit, name="risk-create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/reassess/", views.risk_reassess, name="risk-reassess"),
    path("risks/<int:pk>/status/", views.risk_status, name="risk-status"),
    path("risks/<int:pk>/share/", views.risk_share, name="risk-share"),
    path("risks/<int:pk>/comment/", views.risk_comment, name="risk-comment"),
    path(
        "dialogues/<int:dialogue_pk>/risks/",
        views.dialogue_risk_link,
        name="dialogue-risk-link",
    ),
]
