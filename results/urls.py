from django.urls import URLPattern, path, re_path

from portal.exports import FORMAT_PATTERN
from results import views
from results.reports import views as report_views

urlpatterns: list[URLPattern] = [
    path("programmes/results/", views.portfolio, name="results-portfolio"),
    path("programmes/<int:pk>/results/", views.program_results, name="program-results"),
    re_path(
        rf"^programmes/(?P<pk>[0-9]+)/results\.{FORMAT_PATTERN}$",
        views.program_results_export,
        name="program-results-export",
    ),
    path(
        "programmes/<int:pk>/results/<int:indicator>/",
        views.indicator_results,
        name="indicator-results",
    ),
    path(
        "programmes/<int:pk>/results/import/",
        report_views.results_import,
        name="results-import",
    ),
    path("projects/<int:pk>/results/", views.project_results, name="project-results"),
    re_path(
        rf"^projects/(?P<pk>[0-9]+)/results\.{FORMAT_PATTERN}$",
        views.project_results_export,
        name="project-results-export",
    ),
    path(
        "projects/<int:pk>/results/indicators/<int:indicator>/",
        views.project_indicator_results,
        name="project-indicator-results",
    ),
    path("projects/<int:pk>/results/<str:span>/", report_views.report_page, name="result-report"),
    path(
        "projects/<int:pk>/results/<str:span>/review/",
        report_views.report_review,
        name="result-report-review",
    ),
    path("results/evidence/<int:pk>/", report_views.evidence_download, name="result-evidence"),
]
