"""Writing the results framework: staff only (the admin, the demo), each write atomic and
validated, never a half-saved record. The partner reporting flow (save, submit, approve, return,
unlock) is ``results.reports.services``; an actual saved here takes its report's status, and an
approved report's figures are refused.

What a valid figure is, per measure:
- count: a whole number, not negative; sum and amount of money: a number (``value``);
- percentage: a numerator and a denominator (0 ≤ numerator ≤ denominator, denominator > 0),
  no value — the share is computed, so that it rolls up;
- qualitative: no number at all.
A combination names one value of each dimension the indicator is disaggregated by, or nothing
(the total). An actual belongs to a project that reports on the indicator.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from portal.models import User
from programs.models import Project
from programs.selectors import visible_projects
from progress.models import ChangeType
from results import checks, kept, selectors
from results.models import (
    Actual,
    Dimension,
    DimensionValue,
    Figure,
    Indicator,
    Measure,
    Outcome,
    Period,
    Report,
    Target,
    combination_ids,
    combination_key,
)

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def _require_staff(actor: Any) -> User:
    if not (isinstance(actor, User) and actor.is_portal_staff):
        raise PermissionDenied
    return actor


def _in_scope(staff: User, obj: Model, selector: Callable[[Any], QuerySet[Any]]) -> None:
    # An existing row the actor may not see is as unknown to the service as to the pages.
    if obj.pk is not None and not selector(staff).filter(pk=obj.pk).exists():
        raise PermissionDenied


def _saved(obj: M, staff: User) -> M:
    obj.full_clean()
    obj.save()
    logger.info("results.saved model=%s id=%s actor_id=%s", obj._meta.model_name, obj.pk, staff.pk)
    return obj


def _deleted(obj: Model, staff: User) -> None:
    pk = obj.pk
    obj.delete()
    logger.info("results.deleted model=%s id=%s actor_id=%s", obj._meta.model_name, pk, staff.pk)


# --- Validation (also called by the admin's forms, so that an error is shown, never a 500) -----


def validate_indicator(indicator: Indicator) -> None:
    errors: dict[str, str] = {}
    project = indicator.project if indicator.project_id is not None else None
    if (
        project is not None
        and indicator.outcome_id is not None
        and project.program_id != indicator.outcome.program_id
    ):
        errors["project"] = _("The project belongs to another programme.")
    if indicator.measure == Measure.CURRENCY:
        indicator.currency = (indicator.currency or "").strip().upper()
        if not CURRENCY_CODE.match(indicator.currency):
            errors["currency"] = _("An amount of money needs its currency, e.g. USD or SEK.")
    elif indicator.currency:
        errors["currency"] = _("Only an amount of money has a currency.")
    if indicator.measure == Measure.PERCENTAGE:
        if indicator.baseline_value is not None:
            errors["baseline_value"] = _(
                "A percentage's baseline is its numerator and denominator."
            )
        _check_parts(
            errors, indicator.baseline_numerator, indicator.baseline_denominator, "baseline_"
        )
    else:
        for name in ("baseline_numerator", "baseline_denominator"):
            if getattr(indicator, name) is not None:
                errors[name] = _("Only a percentage has a numerator and a denominator.")
        if indicator.measure == Measure.QUALITATIVE and indicator.baseline_value is not None:
            errors["baseline_value"] = _("A qualitative indicator has no figures.")
    if errors:
        raise ValidationError(errors)


def _check_parts(
    errors: dict[str, str],
    numerator: Decimal | None,
    denominator: Decimal | None,
    prefix: str = "",
    *,
    required: bool = False,
) -> None:
    if numerator is None and denominator is None:
        if required:
            errors[f"{prefix}numerator"] = _("A percentage needs a numerator and a denominator.")
        return
    if numerator is None or denominator is None:
        errors[f"{prefix}denominator"] = _("Give both the numerator and the denominator.")
    elif denominator <= 0:
        errors[f"{prefix}denominator"] = _("The denominator must be more than zero.")
    elif not 0 <= numerator <= denominator:
        errors[f"{prefix}numerator"] = _("The numerator lies between zero and the denominator.")


def validate_combination(indicator: Indicator, key: str) -> None:
    """One value of each of the indicator's dimensions, or none (the total)."""
    try:
        ids = combination_ids(key)
    except ValueError as error:
        raise ValidationError({"combination": _("Not a combination of values.")}) from error
    if not ids:
        return
    if combination_key(ids) != key:
        raise ValidationError({"combination": _("Not a combination of values.")})
    dimensions = {dimension.pk for dimension in indicator.dimensions.all()}
    chosen = list(DimensionValue.objects.filter(pk__in=ids).values_list("dimension_id", flat=True))
    if len(chosen) != len(ids) or len(set(chosen)) != len(chosen) or set(chosen) != dimensions:
        raise ValidationError(
            {
                "combination": _(
                    "Choose one value of each dimension the indicator is broken down by, "
                    "or none for the total."
                )
            }
        )


def validate_figure(figure: Figure) -> None:
    """A target's or an actual's numbers fit the indicator's measure, and its combination the
    indicator's dimensions."""
    indicator = figure.period.indicator
    errors: dict[str, str] = {}
    if indicator.measure == Measure.PERCENTAGE:
        if figure.value is not None:
            errors["value"] = _("A percentage is given as a numerator and a denominator.")
        _check_parts(errors, figure.numerator, figure.denominator, required=True)
    elif indicator.measure == Measure.QUALITATIVE:
        if (
            figure.value is not None
            or figure.numerator is not None
            or figure.denominator is not None
        ):
            errors["value"] = _("A qualitative indicator has no figures.")
    else:
        if figure.numerator is not None or figure.denominator is not None:
            errors["numerator"] = _("Only a percentage has a numerator and a denominator.")
        if figure.value is None:
            errors["value"] = _("Give the figure.")
        elif indicator.measure == Measure.COUNT and (
            figure.value < 0 or figure.value != figure.value.to_integral_value()
        ):
            errors["value"] = _("A count is a whole number, zero or more.")
    if isinstance(figure, Actual) and figure.project_id is not None:
        reports = (
            indicator.project_id == figure.project_id
            if indicator.project_id is not None
            else indicator.projects.filter(pk=figure.project_id).exists()
        )
        if not reports:
            errors["project"] = _("This project does not report on the indicator.")
    if errors:
        raise ValidationError(errors)
    validate_combination(indicator, figure.combination)


def combination_of(values: Iterable[DimensionValue]) -> str:
    return combination_key(value.pk for value in values)


# --- Dimensions --------------------------------------------------------------------------------


@transaction.atomic
def dimension_save(
    *, actor: Any, dimension: Dimension, changed_fields: Iterable[str] = ()
) -> Dimension:
    return _saved(dimension, _require_staff(actor))


@transaction.atomic
def dimension_delete(*, actor: Any, dimension: Dimension) -> None:
    staff = _require_staff(actor)
    if dimension.indicators.exists() or dimension.values.exists():
        raise ValidationError(_("The dimension is in use."))
    _deleted(dimension, staff)


@transaction.atomic
def dimension_value_save(
    *, actor: Any, value: DimensionValue, changed_fields: Iterable[str] = ()
) -> DimensionValue:
    staff = _require_staff(actor)
    if value.pk is not None and "dimension" in changed_fields and _value_in_use(value.pk):
        raise ValidationError({"dimension": _("The value is in use: it keeps its dimension.")})
    return _saved(value, staff)


def _value_in_use(pk: int) -> bool:
    token = str(pk)
    holds = (
        Q(combination=token)
        | Q(combination__startswith=f"{token}.")
        | Q(combination__endswith=f".{token}")
        | Q(combination__contains=f".{token}.")
    )
    return Target.objects.filter(holds).exists() or Actual.objects.filter(holds).exists()


@transaction.atomic
def dimension_value_delete(*, actor: Any, value: DimensionValue) -> None:
    staff = _require_staff(actor)
    # The combinations name values by id: deleting one in use would leave figures naming nothing.
    if _value_in_use(value.pk):
        raise ValidationError(_("Figures are broken down by this value: it cannot be deleted."))
    _deleted(value, staff)


# --- Outcomes and indicators -------------------------------------------------------------------


@transaction.atomic
def outcome_save(*, actor: Any, outcome: Outcome, changed_fields: Iterable[str] = ()) -> Outcome:
    staff = _require_staff(actor)
    _in_scope(staff, outcome, selectors.visible_outcomes)
    return _saved(outcome, staff)


@transaction.atomic
def outcome_set_change_types(
    *, actor: Any, outcome: Outcome, change_types: Iterable[ChangeType]
) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, outcome, selectors.visible_outcomes)
    outcome.change_types.set(list(change_types))


@transaction.atomic
def outcome_delete(*, actor: Any, outcome: Outcome) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, outcome, selectors.visible_outcomes)
    if (
        not staff.sees_confidential
        and outcome.indicators.exclude(
            pk__in=selectors.visible_indicators(staff).values("pk")
        ).exists()
    ):
        # Would delete a confidential project's indicators the officer cannot see.
        raise PermissionDenied
    _deleted(outcome, staff)


def _project_in_scope(staff: User, project_id: int | None) -> None:
    if project_id is not None and not visible_projects(staff).filter(pk=project_id).exists():
        raise PermissionDenied


@transaction.atomic
def indicator_save(
    *, actor: Any, indicator: Indicator, changed_fields: Iterable[str] = ()
) -> Indicator:
    staff = _require_staff(actor)
    _in_scope(staff, indicator, selectors.visible_indicators)
    _project_in_scope(staff, indicator.project_id)
    validate_indicator(indicator)
    return _saved(indicator, staff)


def validate_indicator_links(indicator: Indicator, projects: Iterable[Project]) -> None:
    projects = list(projects)
    strangers = [p for p in projects if p.program_id != indicator.outcome.program_id]
    if strangers:
        raise ValidationError(
            {"projects": _("Only the programme's own projects contribute to its indicators.")}
        )
    if indicator.project_id is not None and any(p.pk != indicator.project_id for p in projects):
        raise ValidationError(
            {"projects": _("Only its own project reports on a project's own indicator.")}
        )


@transaction.atomic
def indicator_set_links(
    *,
    actor: Any,
    indicator: Indicator,
    dimensions: Iterable[Dimension],
    projects: Iterable[Project],
) -> None:
    """The dimensions an indicator is broken down by and the projects that report on it."""
    staff = _require_staff(actor)
    _in_scope(staff, indicator, selectors.visible_indicators)
    projects = list(projects)
    for project in projects:
        _project_in_scope(staff, project.pk)
    validate_indicator_links(indicator, projects)
    indicator.dimensions.set(list(dimensions))
    indicator.projects.set(projects)


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, indicator, selectors.visible_indicators)
    if (
        not staff.sees_confidential
        and Actual.objects.filter(period__indicator=indicator)
        .exclude(pk__in=selectors.visible_actuals(staff).values("pk"))
        .exists()
    ):
        raise PermissionDenied
    _deleted(indicator, staff)


# --- Periods, targets, actuals -----------------------------------------------------------------


@transaction.atomic
def period_save(*, actor: Any, period: Period, changed_fields: Iterable[str] = ()) -> Period:
    staff = _require_staff(actor)
    _in_scope(staff, period, selectors.visible_periods)
    if not selectors.visible_indicators(staff).filter(pk=period.indicator_id).exists():
        raise PermissionDenied
    validate_period_move(period)
    return _saved(period, staff)


def validate_period_move(period: Period) -> None:
    """A period with figures keeps its dates and its indicator: moving it would carry its
    actuals into another span's report (an approved one's figures out of their lock)."""
    if period.pk is None:
        return
    stored = Period.objects.filter(pk=period.pk).values("start", "end", "indicator_id").first()
    if stored is None:
        return
    moved = (stored["start"], stored["end"], stored["indicator_id"]) != (
        period.start,
        period.end,
        period.indicator_id,
    )
    if moved and Actual.objects.filter(period_id=period.pk).exists():
        raise ValidationError(
            _("Figures are reported for this period: it keeps its dates and its indicator.")
        )


@transaction.atomic
def period_delete(*, actor: Any, period: Period) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, period, selectors.visible_periods)
    if (
        not staff.sees_confidential
        and period.actuals.exclude(pk__in=selectors.visible_actuals(staff).values("pk")).exists()
    ):
        raise PermissionDenied
    _refuse_locked(*period.actuals.select_related("period"))
    _deleted(period, staff)


@transaction.atomic
def target_save(*, actor: Any, target: Target, changed_fields: Iterable[str] = ()) -> Target:
    staff = _require_staff(actor)
    _in_scope(staff, target, selectors.visible_targets)
    if not selectors.visible_periods(staff).filter(pk=target.period_id).exists():
        raise PermissionDenied
    validate_figure(target)
    return _saved(target, staff)


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, target, selectors.visible_targets)
    _deleted(target, staff)


def _report_of(actual: Actual) -> Report | None:
    """The report the actual belongs to: its project's for its period's span."""
    if actual.project_id is None or actual.period_id is None:
        return None
    period = actual.period
    return Report.objects.filter(
        project_id=actual.project_id, start=period.start, end=period.end
    ).first()


def is_locked(actual: Actual) -> bool:
    """Whether the actual belongs to an approved (locked) report."""
    report = _report_of(actual)
    return report is not None and report.is_locked


def refuse_locked(*actuals: Actual) -> None:
    """A ValidationError where an actual belongs to an approved (locked) report."""
    _refuse_locked(*actuals)


def _refuse_locked(*actuals: Actual) -> None:
    for actual in actuals:
        if is_locked(actual):
            raise ValidationError(
                _("The report of this period is approved and locked; unlock it first.")
            )


@transaction.atomic
def actual_save(*, actor: Any, actual: Actual, changed_fields: Iterable[str] = ()) -> Actual:
    """An actual entered or corrected by staff in the admin. It takes the status of its report
    (a draft where there is none yet), which the reporting flow sets: it counts once approved.
    An approved report's figures are locked."""
    staff = _require_staff(actor)
    _in_scope(staff, actual, selectors.visible_actuals)
    _project_in_scope(staff, actual.project_id)
    if not selectors.visible_periods(staff).filter(pk=actual.period_id).exists():
        raise PermissionDenied
    validate_figure(actual)
    before: tuple[int | None, int | None] = (None, None)
    before_indicator: set[int] = set()
    was_approved = False
    if actual.pk is not None:
        stored = Actual.objects.select_related("period").get(pk=actual.pk)
        _refuse_locked(stored)
        before = (stored.period_id, stored.project_id)
        before_indicator = {stored.period.indicator_id}
        was_approved = stored.status == Actual.Status.APPROVED
    _refuse_locked(actual)
    report = _report_of(actual)
    actual.status = report.status if report is not None else Actual.Status.DRAFT
    saved = _saved(actual, staff)
    checks.refresh([before, (saved.period_id, saved.project_id)])
    if saved.status == Actual.Status.APPROVED or was_approved:
        kept.mark_stale({saved.period.indicator_id, *before_indicator})
    return saved


@transaction.atomic
def actual_delete(*, actor: Any, actual: Actual) -> None:
    staff = _require_staff(actor)
    _in_scope(staff, actual, selectors.visible_actuals)
    _refuse_locked(actual)
    pair = (actual.period_id, actual.project_id)
    counted = actual.status == Actual.Status.APPROVED
    indicator_id = actual.period.indicator_id
    _deleted(actual, staff)
    checks.refresh([pair])
    if counted:
        kept.mark_stale([indicator_id])
