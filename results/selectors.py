"""Who sees what of the results framework (the rules: ``portal.access``, docs/access.md).

Two questions are kept apart: which **rows** a viewer may see (an actual in the admin, on a
project's page) and which actuals **count** in the figures the viewer reads.

- Administrators and cleared staff see every framework and row; figures count every approved
  actual.
- Officers see the frameworks of every programme and the rows of the projects they see. A
  confidential partner's project is not among them, but its approved actuals count in the
  programme's totals, and where the page lists projects it appears by pseudonym and region,
  without a link. A confidential project's own indicators are not shown to them.
- Partner users see the indicators their own projects report on (the programme's indicators
  their projects contribute to, and their projects' own), and only their own actuals, whatever
  their status; their figures count only their own approved actuals.
- Network members see, for the programmes of their networks, the programme's indicators and the
  programme-level totals of approved actuals: no project rows, no disaggregation, no project's
  own indicators. (The simplest correct rule for this first step; small-cell suppression for
  project rows waits until members are shown any.)
- Anyone else sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet, Sum

from portal.access import as_user, get_or_404, own_partner_id
from programs.models import Program, Project
from programs.selectors import visible_programs, visible_projects
from results.models import (
    TOTAL,
    Actual,
    ActualSum,
    Dimension,
    DimensionValue,
    Indicator,
    Outcome,
    PartsMismatch,
    Period,
    Target,
)
from results.rollup import Amount

if TYPE_CHECKING:
    from portal.access import AnyUser


def visible_dimensions(user: AnyUser) -> QuerySet[Dimension]:
    viewer = as_user(user)
    return Dimension.objects.all() if viewer is not None else Dimension.objects.none()


def visible_dimension_values(user: AnyUser) -> QuerySet[DimensionValue]:
    viewer = as_user(user)
    values = DimensionValue.objects.select_related("dimension")
    return values if viewer is not None else values.none()


def visible_outcomes(user: AnyUser) -> QuerySet[Outcome]:
    """The outcomes of the programmes the viewer sees (an outcome names no partner)."""
    return Outcome.objects.filter(program__in=visible_programs(user).values("pk"))


def visible_indicators(user: AnyUser) -> QuerySet[Indicator]:
    indicators = Indicator.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return indicators.none()
    if viewer.sees_confidential:
        return indicators
    if viewer.is_portal_staff:
        return indicators.exclude(project__partner__is_confidential=True)
    if viewer.is_partner_user:
        own = own_partner_id(viewer)
        return indicators.filter(
            Q(project__partner_id=own)
            | Q(
                project__isnull=True,
                pk__in=Indicator.projects.through.objects.filter(project__partner_id=own).values(
                    "indicator_id"
                ),
            )
        )
    if viewer.is_network_member:
        return indicators.filter(
            project__isnull=True, outcome__program__in=visible_programs(viewer).values("pk")
        )
    return indicators.none()


def visible_periods(user: AnyUser) -> QuerySet[Period]:
    return Period.objects.filter(indicator__in=visible_indicators(user).values("pk"))


def visible_targets(user: AnyUser) -> QuerySet[Target]:
    return Target.objects.filter(period__indicator__in=visible_indicators(user).values("pk"))


def visible_actuals(user: AnyUser) -> QuerySet[Actual]:
    """The actuals the viewer may see as rows (lists, the admin, a project's page)."""
    actuals = Actual.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return actuals.none()
    if viewer.sees_confidential:
        return actuals
    if viewer.is_portal_staff:
        return actuals.filter(
            project__in=visible_projects(viewer).values("pk"),
            period__indicator__in=visible_indicators(viewer).values("pk"),
        )
    if viewer.is_partner_user:
        return actuals.filter(project__partner_id=own_partner_id(viewer))
    return actuals.none()


def counted_actuals(user: AnyUser) -> QuerySet[Actual]:
    """The actuals that count in the figures the viewer reads: approved ones only, and for an
    officer a confidential partner's too (shown only in totals and by pseudonym)."""
    approved = Actual.objects.filter(status=Actual.Status.APPROVED)
    viewer = as_user(user)
    if viewer is None:
        return approved.none()
    if viewer.is_portal_staff:
        return approved
    if viewer.is_partner_user:
        return approved.filter(project__partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        return approved.filter(
            period__indicator__project__isnull=True,
            period__indicator__outcome__program__in=visible_programs(viewer).values("pk"),
        )
    return approved.none()


def sees_project_rows(user: AnyUser) -> bool:
    """Whether the viewer reads figures per project and per disaggregation (not members)."""
    viewer = as_user(user)
    return viewer is not None and (viewer.is_portal_staff or viewer.is_partner_user)


def row_projects(user: AnyUser) -> QuerySet[Project]:
    """The projects whose actuals the viewer may read as rows, one project at a time (a
    project's page, a download): staff the projects they see (officers none of a confidential
    partner's), partner users their own organisation's, anyone else none."""
    viewer = as_user(user)
    if viewer is None:
        return Project.objects.none()
    if viewer.is_portal_staff:
        return visible_projects(viewer)
    if viewer.is_partner_user:
        return Project.objects.filter(partner_id=own_partner_id(viewer))
    return Project.objects.none()


def get_indicator_for_user(user: AnyUser, pk: object) -> Indicator:
    return get_or_404(visible_indicators(user).select_related("outcome"), pk)


def program_has_framework(user: AnyUser, program: Program) -> bool:
    return visible_indicators(user).filter(outcome__program=program).exists()


def project_has_framework(user: AnyUser, project: Project) -> bool:
    return project_indicators(user, project).exists()


def project_indicators(user: AnyUser, project: Project) -> QuerySet[Indicator]:
    """The indicators a project reports on: the programme's it contributes to, and its own."""
    # A subquery rather than a join, so that an indicator is listed once.
    contributes = Indicator.projects.through.objects.filter(project=project).values("indicator_id")
    return visible_indicators(user).filter(
        Q(project=project) | Q(project__isnull=True, pk__in=contributes)
    )


# --- Figures, as grouped queries ---------------------------------------------------------------

Sums = dict[tuple[int, str], Amount]


def _amounts(
    rows: QuerySet[Actual, dict[str, object]] | QuerySet[Target, dict[str, object]],
) -> Sums:
    sums: Sums = {}
    for row in rows:
        key = (cast(int, row["period_id"]), cast(str, row["combination"]))
        sums[key] = Amount(
            value=cast("Decimal | None", row["value_sum"]),
            numerator=cast("Decimal | None", row["numerator_sum"]),
            denominator=cast("Decimal | None", row["denominator_sum"]),
        )
    return sums


def _summed(queryset: QuerySet[Actual] | QuerySet[Target] | QuerySet[ActualSum]) -> Sums:
    """One grouped query: the sums of value, numerator and denominator per (period,
    combination). For a percentage the numerators and denominators are summed, never the
    shares (``results.rollup.combine`` is the same rule in Python)."""
    rows = (
        queryset.order_by()
        .values("period_id", "combination")
        .annotate(
            value_sum=Sum("value"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
        )
    )
    return _amounts(rows)  # type: ignore[arg-type]


def actual_sums(
    user: AnyUser,
    periods: QuerySet[Period],
    *,
    project: Project | None = None,
    totals_only: bool = False,
) -> Sums:
    """The counted actuals of these periods per (period, combination), for the programme (every
    project the viewer's figures count) or one project; only the totals if ``totals_only``.

    A programme's figures for staff and members are read from the kept sums (``results.kept``):
    one row per (period, combination) and confidentiality, however many projects report. A
    partner user's figures are its own projects' only, and one project's are a few rows: both
    are grouped from the actuals."""
    viewer = as_user(user)
    if viewer is None:
        return {}
    if project is not None or viewer.is_partner_user:
        actuals = counted_actuals(viewer).filter(period__in=periods)
        if project is not None:
            actuals = actuals.filter(project=project)
        return _summed(actuals.filter(combination=TOTAL) if totals_only else actuals)
    if not (viewer.is_portal_staff or viewer.is_network_member):
        return {}
    kept = ActualSum.objects.filter(period__in=periods)
    if not viewer.sees_confidential:
        # What the viewer's figures count (a member: its programmes' own indicators) ...
        kept = kept.filter(period__in=visible_periods(viewer).values("pk"))
        # ... and a confidential partner's approved figures in the totals, never in a breakdown:
        # a part (a country, a small group) could point at it.
        kept = kept.filter(Q(combination=TOTAL) | Q(confidential=False))
    if totals_only:
        kept = kept.filter(combination=TOTAL)
    return _summed(kept)


def target_sums(periods: QuerySet[Period], *, totals_only: bool = False) -> Sums:
    targets = Target.objects.filter(period__in=periods)
    return _summed(targets.filter(combination=TOTAL) if totals_only else targets)


@dataclass(frozen=True)
class ProjectFigure:
    period_id: int
    project_id: int
    amount: Amount


def project_totals(user: AnyUser, periods: QuerySet[Period] | list[int]) -> list[ProjectFigure]:
    """Each project's counted total per period (one grouped query)."""
    rows = (
        counted_actuals(user)
        .filter(period__in=periods, combination=TOTAL)
        .order_by()
        .values("period_id", "project_id")
        .annotate(
            value_sum=Sum("value"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
        )
    )
    return [
        ProjectFigure(
            row["period_id"],
            row["project_id"],
            Amount(row["value_sum"], row["numerator_sum"], row["denominator_sum"]),
        )
        for row in rows
    ]


# A page lists at most this many; the next steps (the reporting flow) will keep them from
# arising in the first place.
MISMATCHES_SHOWN = 50


@dataclass(frozen=True)
class Mismatch:
    """A project's period whose stored total disagrees with the sum of its parts."""

    period_id: int
    project_id: int
    total: Amount
    parts: Amount


def total_mismatches(user: AnyUser, periods: QuerySet[Period]) -> list[Mismatch]:
    """For staff (the programme page shows no one else), the (period, project) pairs among
    their rows whose parts do not add up to their total, read from the kept checks
    (``results.checks``): one query over the few that differ."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return []
    rows = PartsMismatch.objects.filter(period__in=periods)
    if not viewer.sees_confidential:
        rows = rows.filter(
            project__in=visible_projects(viewer).values("pk"),
            period__indicator__in=visible_indicators(viewer).values("pk"),
        )
    return [
        Mismatch(
            row.period_id,
            row.project_id,
            Amount(row.total_value, row.total_numerator, row.total_denominator),
            Amount(row.parts_value, row.parts_numerator, row.parts_denominator),
        )
        for row in rows.order_by("period_id", "project_id")[:MISMATCHES_SHOWN]
    ]
