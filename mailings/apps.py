from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "mailings"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Mail")

    def ready(self) -> None:
        from mailings import selectors, tasks  # noqa: F401 - the tasks register by name
        from mailings.models import Newsletter
        from portal.admin_scoping import register_scope
        from portal.audit import register_audited

        register_scope(Newsletter, selectors.visible_newsletters)
        register_audited(Newsletter, redacted=("body",))
