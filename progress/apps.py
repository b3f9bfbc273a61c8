from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress Tracker")

    def ready(self) -> None:
        from progress import (
            signals,  # noqa: F401 - connects the receivers
            tasks,  # noqa: F401 - registers the tasks asked for by name
        )
