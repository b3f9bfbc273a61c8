from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes and activities")

    def ready(self) -> None:
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited
        from programs import sections, selectors, services
        from programs.models import Activity, ActivityPlan, PlannedActivity, Program, Project

        register_scope(Program, selectors.visible_programs)
        register_scope(Project, selectors.visible_projects, may_be_confidential=True)
        register_scope(Activity, selectors.visible_activities, may_be_confidential=True)
        register_scope(
            PlannedActivity, selectors.visible_planned_activities, may_be_confidential=True
        )
        register_scope(ActivityPlan, selectors.visible_activity_plans)

        # A description is free text that may name people and places (a confidential partner's
        # town): the trail records that it changed, never what it says.
        register_audited(Project, redacted=("description",))
        sections.register()
        # The admin writes through the services (portal.admin_scoping).
        register_writes(
            Program,
            save=lambda actor, obj, changed_fields: services.program_save(
                actor=actor, program=obj, changed_fields=changed_fields
            ),
            delete=lambda actor, obj: services.program_delete(actor=actor, program=obj),
        )
        register_writes(
            Project,
            save=lambda actor, obj, changed_fields: services.project_save(
                actor=actor, project=obj, changed_fields=changed_fields
            ),
            delete=lambda actor, obj: services.project_delete(actor=actor, project=obj),
        )
        for plan_model in (ActivityPlan, PlannedActivity):
            register_writes(
                plan_model,
                save=lambda actor, obj, changed_fields: services.plan_save(
                    actor=actor, plan=obj, changed_fields=changed_fields
                ),
                delete=lambda actor, obj: services.plan_delete(actor=actor, plan=obj),
            )
        register_writes(
            Activity,
            save=lambda actor, obj, changed_fields: services.activity_save(
                actor=actor, activity=obj, changed_fields=changed_fields
            ),
            delete=lambda actor, obj: services.activity_delete(actor=actor, activity=obj),
        )
