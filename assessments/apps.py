from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Self-assessments")

    def ready(self) -> None:
        from assessments import sections, selectors, services
        from assessments.models import (
            Answer,
            Assessment,
            Dimension,
            DimensionComment,
            Questionnaire,
            Statement,
        )
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited

        register_scope(Assessment, selectors.visible_assessments, may_be_confidential=True)
        register_scope(Answer, selectors.visible_answers, may_be_confidential=True)
        register_scope(DimensionComment, selectors.visible_comments, may_be_confidential=True)
        register_scope(Questionnaire, selectors.visible_questionnaires)
        register_scope(Dimension, selectors.visible_dimensions)
        register_writes(
            Questionnaire,
            save=services.questionnaire_save,
            delete=services.questionnaire_delete,
            argument="questionnaire",
        )
        register_writes(
            Dimension,
            save=services.dimension_save,
            delete=services.dimension_delete,
            argument="dimension",
        )
        register_writes(
            Statement,
            save=services.statement_save,
            delete=services.statement_delete,
            argument="statement",
        )
        register_writes(
            Assessment,
            save=services.assessment_admin_save,
            delete=services.assessment_delete,
            argument="assessment",
        )
        register_writes(
            DimensionComment,
            save=services.dimension_comment_admin_save,
            delete=services.dimension_comment_delete,
            argument="comment",
        )
        # An answer's example and a staff comment are free text that may name people and
        # places: the trail records that they changed, never what they say.
        register_audited(Questionnaire)
        register_audited(Dimension)
        register_audited(Statement)
        register_audited(Assessment)
        register_audited(Answer, redacted=("example",))
        register_audited(DimensionComment, redacted=("text",))
        sections.register()
