from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data subject's rights and the retention rules, over every app's personal data."""

    name = "privacy"
    verbose_name = _("Privacy")
