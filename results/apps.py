from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Results framework")
