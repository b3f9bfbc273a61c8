from django.urls import path, re_path

from portal.exports import FORMAT_PATTERN
from solidarity import views

urlpatterns = [
    path("contributions/", views.contribution_list, name="contribution-list"),
    re_path(
        rf"^contributions/download\.{FORMAT_PATTERN}$",
        views.contribution_download,
        name="contribution-download",
    ),
    path("contributions/new/", views.contribution_create, name="contribution-create"),
    path("contributions/report/", views.contribution_report, name="contribution-report"),
    path("contributions/import/", views.contribution_import, name="contribution-import"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="contribution-edit"),
    path("contributions/<int:pk>/decide/", views.contribution_decide, name="contribution-decide"),
    path("expertise/", views.expertise, name="expertise"),
    path("expertise/needs/new/", views.need_create, name="need-create"),
    path("expertise/offers/new/", views.offer_create, name="offer-create"),
    path("expertise/needs/<int:pk>/match/", views.need_match, name="need-match"),
]
