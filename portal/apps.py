from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
