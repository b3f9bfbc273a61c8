"""Submission links: managed by partner users and staff, used by rights-holders without accounts."""

urlpatterns: list = []
