from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Partner dialogues")
