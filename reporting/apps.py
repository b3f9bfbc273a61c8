from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Figures: the kept aggregates and their refresh, reports, charts, downloads, the IATI file
    and the dashboards."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from reporting import sections

        sections.register()
