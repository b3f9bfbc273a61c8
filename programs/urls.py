from django.urls import path, re_path

from portal.exports import FORMAT_PATTERN
from programs import views

urlpatterns = [
    path("programmes/", views.program_list, name="program-list"),
    path("programmes/<int:pk>/", views.program_detail, name="program-detail"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("activities/", views.activity_list, name="activity-list"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    re_path(
        rf"^activities/export\.{FORMAT_PATTERN}$", views.activity_export, name="activity-export"
    ),
]
