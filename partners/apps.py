from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and networks")

    def ready(self) -> None:
        from partners import selectors
        from partners.models import MemberOrganisation, Partner, PartnerContact, SolidarityNetwork
        from portal.admin_scoping import register_scope
        from portal.audit import register_audited

        register_scope(Partner, selectors.visible_partners, may_be_confidential=True)
        register_scope(PartnerContact, selectors.visible_contacts, may_be_confidential=True)
        register_scope(SolidarityNetwork, selectors.visible_networks)
        register_scope(MemberOrganisation, selectors.visible_member_organisations)

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Partner, redacted=("description",))
