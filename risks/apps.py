from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Risk register")

    def ready(self) -> None:
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited
        from risks import sections, selectors, services
        from risks.models import Risk, RiskComment, RiskReassessment

        register_scope(Risk, selectors.visible_risks, may_be_confidential=True)
        register_scope(RiskReassessment, selectors.visible_reassessments)
        register_scope(RiskComment, selectors.visible_comments)
        register_writes(
            Risk, save=services.risk_admin_save, delete=services.risk_delete, argument="risk"
        )
        # A risk's words may name people, places and what threatens them: the trail records
        # that they changed, never what they say.
        register_audited(Risk, redacted=("title", "description", "mitigation"))
        register_audited(RiskReassessment, redacted=("note",))
        register_audited(RiskComment, redacted=("text",))
        sections.register()
