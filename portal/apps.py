from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Connects the login-time receiver of the session timeouts at start-up, not at the first
        # request: a login before the middleware module is imported would otherwise miss it.
        from portal import middleware  # noqa: F401


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
