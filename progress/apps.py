from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress Tracker")

    def ready(self) -> None:
        # signals connects the receivers; tasks registers the tasks asked for by name.
        from progress import audit, signals, tasks  # noqa: F401

        audit.register()
