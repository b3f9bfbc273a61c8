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
        from solidarity.models import Contribution, ExpertiseNeed, ExpertiseOffer

        register_scope(Contribution, selectors.visible_contributions)
        register_scope(ExpertiseNeed, selectors.visible_needs, may_be_confidential=True)
        register_scope(ExpertiseOffer, selectors.visible_offers)
        register_writes(
            ExpertiseNeed, save=services.need_save, delete=services.need_delete, argument="need"
        )
        register_writes(
            ExpertiseOffer,
            save=services.offer_save,
            delete=services.offer_delete,
            argument="offer",
        )
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
