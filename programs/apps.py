from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Programmes and activities")

    def ready(self) -> None:
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited
        from programs import sections, selectors, services
        from programs.models import (
            Activity,
            ActivityPlan,
            Grant,
            PlannedActivity,
            Program,
            Project,
        )

        register_scope(Program, selectors.visible_programs)
        register_scope(Grant, selectors.visible_grants)
        register_scope(Project, selectors.visible_projects, may_be_confidential=True)
        register_scope(Activity, selectors.visible_activities, may_be_confidential=True)
        register_scope(
            PlannedActivity, selectors.visible_planned_activities, may_be_confidential=True
        )
        # A partner's plan may be a confidential partner's.
        register_scope(ActivityPlan, selectors.visible_activity_plans, may_be_confidential=True)

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Project, redacted=("description",))
        sections.register()
        # The admin writes through the services (portal.admin_scoping).
        register_writes(
            Program,
            save=services.program_save,
            delete=services.program_delete,
            argument="program",
        )
        register_writes(
            Project,
            save=services.project_save,
            delete=services.project_delete,
            argument="project",
        )
        for plan_model in (ActivityPlan, PlannedActivity):
            register_writes(
                plan_model,
                save=services.plan_save,
                delete=services.plan_delete,
                argument="plan",
            )
        register_writes(
            Grant,
            save=services.grant_save,
            delete=services.grant_delete,
            argument="grant",
        )
        register_writes(
            Activity,
            save=services.activity_save,
            delete=services.activity_delete,
            argument="activity",
        )
