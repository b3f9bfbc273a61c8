from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysesConfig(AppConfig):
    name = "analyses"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Regional analyses")

    def ready(self) -> None:
        from analyses import selectors, services
        from analyses.models import RegionalAnalysis
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited

        register_scope(RegionalAnalysis, selectors.visible_analyses)
        register_writes(
            RegionalAnalysis,
            save=services.analysis_admin_save,
            delete=services.analysis_delete,
            argument="analysis",
        )
        # What staff wrote about a region may name people and places: that it changed, never
        # what it says.
        register_audited(
            RegionalAnalysis,
            redacted=("title", "context", "patterns", "conclusions", "decisions"),
        )
