"""Submission links: managed by partner users and staff, used by rights-holders without accounts."""

from django.urls import path

from progress import link_views

urlpatterns = [
    path("links/", link_views.link_list, name="link-list"),
    path("links/new/", link_views.link_create, name="link-create"),
    path("links/<int:pk>/revoke/", link_views.link_revoke, name="link-revoke"),
    # Public: a rights-holder with the link and no account.
    path("s/<str:token>/", link_views.link_submit, name="link-submit"),
    path("s/<str:token>/thanks/", link_views.link_thanks, name="link-thanks"),
]
