from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from portal.auth_views import admin_login


class PortalAdminSite(admin.AdminSite):
    site_header = _("Solidarity portal administration")
    site_title = _("Solidarity portal")
    index_title = _("Data management")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        if not (user.is_active and user.is_staff):
            return False
        # Administrators and cleared staff only with a verified second factor.
        return not getattr(user, "requires_second_factor", False) or user.is_verified()

    @method_decorator(login_not_required)
    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        return admin_login(request)
