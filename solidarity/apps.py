from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolidarityConfig(AppConfig):
    name = "solidarity"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited
        from solidarity import sections, selectors, services
        from solidarity.models import Contribution

        register_scope(Contribution, selectors.visible_contributions)
        # An individual donor's name and a note are personal: the trail records that they
        # changed, never what they say.
        register_audited(Contribution, redacted=("donor_name", "note"))
        sections.register()
        register_writes(
            Contribution,
            save=services.contribution_save,
            delete=services.contribution_delete,
            argument="contribution",
        )
