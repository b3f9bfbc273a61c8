from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Partners and networks")

    def ready(self) -> None:
        from partners import selectors, services
        from partners.models import (
            MemberOrganisation,
            Partner,
            PartnerContact,
            SolidarityNetwork,
        )
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited

        register_scope(Partner, selectors.visible_partners, may_be_confidential=True)
        register_scope(PartnerContact, selectors.visible_contacts, may_be_confidential=True)
        register_scope(SolidarityNetwork, selectors.visible_networks)
        register_scope(MemberOrganisation, selectors.visible_member_organisations)

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Partner, redacted=("description",))
        # The admin writes through the services (portal.admin_scoping).
        register_writes(
            Partner,
            save=services.partner_save,
            delete=services.partner_delete,
            argument="partner",
        )
