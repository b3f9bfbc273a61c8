from django.urls import URLPattern, path

from results import views
from results.reports import views as report_views

urlpatterns: list[URLPattern] = [
    path("programmes/<int:pk>/results/", views.program_results, name="program-results"),
    path("projects/<int:pk>/results/", views.project_results, name="project-results"),
    path("projects/<int:pk>/results/<str:span>/", report_views.report_page, name="result-report"),
    path(
        "projects/<int:pk>/results/<str:span>/review/",
        report_views.report_review,
        name="result-report-review",
    ),
    path("results/evidence/<int:pk>/", report_views.evidence_download, name="result-evidence"),
]
