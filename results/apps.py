from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Results framework")

    def ready(self) -> None:
        from portal.admin_scoping import register_scope, register_writes
        from portal.audit import register_audited
        from results import sections, selectors, services, signals  # noqa: F401
        from results.models import (
            Actual,
            Dimension,
            DimensionValue,
            Indicator,
            Outcome,
            Period,
            Report,
            Target,
        )
        from results.reports import selectors as report_selectors

        register_scope(Dimension, selectors.visible_dimensions)
        register_scope(DimensionValue, selectors.visible_dimension_values)
        register_scope(Outcome, selectors.visible_outcomes)
        # A project's own indicator and a project's actuals may be a confidential partner's.
        register_scope(Indicator, selectors.visible_indicators, may_be_confidential=True)
        register_scope(Period, selectors.visible_periods)
        register_scope(Target, selectors.visible_targets)
        register_scope(Actual, selectors.visible_actuals, may_be_confidential=True)
        # Read-only in the admin (its steps are the report page's and the unlock view's).
        register_scope(Report, report_selectors.visible_reports, may_be_confidential=True)
        for model, save, delete, argument in (
            (Dimension, services.dimension_save, services.dimension_delete, "dimension"),
            (
                DimensionValue,
                services.dimension_value_save,
                services.dimension_value_delete,
                "value",
            ),
            (Outcome, services.outcome_save, services.outcome_delete, "outcome"),
            (Indicator, services.indicator_save, services.indicator_delete, "indicator"),
            (Period, services.period_save, services.period_delete, "period"),
            (Target, services.target_save, services.target_delete, "target"),
            (Actual, services.actual_save, services.actual_delete, "actual"),
        ):
            register_writes(model, save=save, delete=delete, argument=argument)
        # What an outcome or indicator says may describe a confidential partner's work: that it
        # changed, never what it says. Figures and statuses are kept as they are.
        register_audited(Outcome, redacted=("title", "description"), relations=("change_types",))
        register_audited(Indicator, redacted=("title", "description", "unit"))
        register_audited(Period)
        register_audited(Target)
        register_audited(Actual)
        register_audited(Report)
        register_audited(Dimension)
        register_audited(DimensionValue)
        sections.register()
