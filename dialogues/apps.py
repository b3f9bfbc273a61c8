from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Partner dialogues")

    def ready(self) -> None:
        from dialogues import sections, selectors, services
        from dialogues.models import AgreedAction, Dialogue, DialogueComment
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited

        register_scope(Dialogue, selectors.visible_dialogues, may_be_confidential=True)
        register_scope(AgreedAction, selectors.visible_actions, may_be_confidential=True)
        register_scope(DialogueComment, selectors.visible_comments, may_be_confidential=True)
        register_writes(
            Dialogue,
            save=services.dialogue_admin_save,
            delete=services.dialogue_delete,
            argument="dialogue",
        )
        register_writes(
            AgreedAction,
            save=services.action_admin_save,
            delete=services.action_delete,
            argument="action",
        )
        register_writes(
            DialogueComment,
            save=services.comment_admin_save,
            delete=services.comment_delete,
            argument="comment",
        )
        # What was said in a meeting names people, places and disagreements: the trail records
        # that it changed, never what it says.
        register_audited(
            Dialogue,
            redacted=("agenda", "notes", "other_participants"),
            relations=("staff_participants", "partner_participants", "stories"),
        )
        register_audited(DialogueComment, redacted=("text",))
        register_audited(AgreedAction, redacted=("description", "drop_reason"))
        sections.register()
