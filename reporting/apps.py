from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Figures: the kept aggregates and their refresh, reports, charts, downloads, the IATI file
    and the dashboards."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # tasks registers the tasks asked for by name (``portal.queue``), in every process.
        from reporting import counting, sections, tasks  # noqa: F401

        sections.register()
        counting.register()
