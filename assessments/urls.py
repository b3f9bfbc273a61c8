from django.urls import path

from assessments import views

urlpatterns = [
    path("assessments/", views.assessment_home, name="assessment-home"),
    path("assessments/start/", views.assessment_start, name="assessment-start"),
    path(
        "assessments/distribution/",
        views.assessment_distribution,
        name="assessment-distribution",
    ),
    path(
        "assessments/partners/<int:partner_pk>/",
        views.assessment_results,
        name="assessment-results",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("assessments/<int:pk>/comment/", views.assessment_comment, name="assessment-comment"),
    path("assessments/<int:pk>/action/", views.assessment_action, name="assessment-action"),
]
