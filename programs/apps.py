from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes and activities")

    def ready(self) -> None:
        from portal.audit import register_audited
        from programs.models import Project

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Project, redacted=("description",))
