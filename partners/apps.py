from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and networks")

    def ready(self) -> None:
        from partners.models import Partner
        from portal.audit import register_audited

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Partner, redacted=("description",))
