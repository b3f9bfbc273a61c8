from django.urls import path, re_path

from portal.exports import FORMAT_PATTERN
from reporting import views

urlpatterns = [
    path("reports/", views.report, name="report"),
    re_path(
        rf"^reports/figures\.{FORMAT_PATTERN}$",
        views.figures_export,
        name="report-figures-export",
    ),
    path("reports/self-assessments/", views.member_assessments, name="report-self-assessments"),
    path("reports/support/", views.member_support, name="member-support"),
    path("reports/rebuild/", views.report_rebuild, name="report-rebuild"),
    path(
        "reports/rebuild/status.json",
        views.report_rebuild_status,
        name="report-rebuild-status",
    ),
    # Under the programmes, where staff look for it; the file is built from the figures' rules.
    path("programmes/iati.xml", views.iati_export, name="iati-export"),
    path("programmes/iati/check/", views.iati_check, name="iati-check"),
]
