"""What the results pages show, assembled from a fixed number of queries.

A programme's page reads, whatever the size of its framework: its outcomes, its indicators with
their dimensions, their periods, the targets (one grouped query), the counted actuals per period
and combination (one grouped query), the dimension values, each project's totals per period (one
grouped query) with the projects and their partners, and for staff the periods whose parts do
not add up (one grouped query). Everything else is arithmetic in ``results.rollup``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partners.selectors import may_identify, partner_country_label, partner_label
from portal.access import as_user
from portal.charts import Chart
from programs.models import Program, Project
from programs.selectors import visible_programs, visible_projects
from results import selectors
from results.charts import Column, targets_and_actuals
from results.models import (
    TOTAL,
    Dimension,
    DimensionValue,
    Indicator,
    Measure,
    Outcome,
    Period,
    combination_ids,
)
from results.reports.selectors import Citation, Due, cited_stories, project_reports
from results.rollup import Amount, combine, progress_to_target, target_reached

if TYPE_CHECKING:
    from portal.access import AnyUser


def _rounded(value: Decimal, places: int) -> str:
    # Django's number_format cuts digits off; a figure is rounded, half up.
    exact = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(exact, places, use_l10n=True, force_grouping=True)


def percent_display(value: Decimal) -> str:
    return f"{_rounded(value, 1)} %"


def display(indicator: Indicator, value: Decimal | None) -> str:
    """A figure as the page shows it, by the indicator's measure."""
    if value is None:
        return "–"
    if indicator.measure == Measure.PERCENTAGE:
        return percent_display(value)
    places = 0 if value == value.to_integral_value() else 2
    text = _rounded(value, places)
    if indicator.measure == Measure.CURRENCY:
        return f"{text} {indicator.currency}"
    return text


def amount_display(indicator: Indicator, amount: Amount | None) -> str:
    if amount is None:
        return "–"
    text = display(indicator, amount.result(indicator.measure))
    if indicator.measure == Measure.PERCENTAGE and amount.denominator:
        numerator = _rounded(amount.numerator or Decimal(0), 0)
        denominator = _rounded(amount.denominator, 0)
        text = f"{text} ({numerator}/{denominator})"
    return text


@dataclass
class PeriodRow:
    label: str
    target: str
    actual: str
    progress: str
    reached: bool


@dataclass
class PartRow:
    """One value of a dimension, its actuals per period (the sum of the cells holding it)."""

    dimension: str
    label: str
    cells: list[str]


@dataclass
class ProjectRow:
    label: str
    place: str
    href: str
    figure: str


@dataclass
class IndicatorView:
    indicator: Indicator
    baseline: str
    periods: list[PeriodRow]
    chart: Chart
    period_labels: list[str] = field(default_factory=list)
    parts: list[PartRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    projects_period: str = ""
    shows_targets: bool = True
    citations: list[Citation] = field(default_factory=list)


@dataclass
class OutcomeView:
    outcome: Outcome
    indicators: list[IndicatorView]


@dataclass
class MismatchRow:
    indicator: str
    period: str
    project: str
    total: str
    parts: str


@dataclass
class IndicatorSummary:
    """An indicator in its latest period with a counted total (``period`` empty: none yet)."""

    indicator: Indicator
    period: str
    target: str
    actual: str
    progress: str
    reached: bool


@dataclass
class OutcomeSummary:
    outcome: Outcome
    rows: list[IndicatorSummary]


@dataclass
class ResultsPage:
    outcomes: list[OutcomeSummary]
    mismatches: list[MismatchRow]


def _baseline(indicator: Indicator) -> tuple[Decimal | None, str]:
    if indicator.measure == Measure.PERCENTAGE:
        amount = Amount(
            numerator=indicator.baseline_numerator, denominator=indicator.baseline_denominator
        )
        value = amount.percent()
        return value, amount_display(indicator, amount) if value is not None else "–"
    return indicator.baseline_value, display(indicator, indicator.baseline_value)


def _baseline_text(indicator: Indicator, text: str) -> str:
    if indicator.baseline_date is None or text == "–":
        return text
    return _("%(value)s (%(date)s)") % {"value": text, "date": indicator.baseline_date.isoformat()}


class _Framework:
    """The indicators of a page with their periods and figures, read once."""

    def __init__(
        self,
        user: AnyUser,
        indicators: QuerySet[Indicator],
        *,
        project: Project | None = None,
        totals_only: bool = False,
    ) -> None:
        self.user = user
        self.project = project
        self.indicators = list(
            indicators.select_related("outcome").prefetch_related(
                Prefetch("dimensions", queryset=Dimension.objects.order_by("ordering", "code"))
            )
        )
        periods = Period.objects.filter(indicator__in=[i.pk for i in self.indicators])
        self.periods: dict[int, list[Period]] = defaultdict(list)
        for period in periods.order_by("start", "end"):
            self.periods[period.indicator_id].append(period)
        self.targets = selectors.target_sums(periods, totals_only=totals_only)
        self.actuals = selectors.actual_sums(
            user, periods, project=project, totals_only=totals_only
        )
        self.parts_by_period: dict[int, list[tuple[str, Amount]]] = defaultdict(list)
        for (period_id, combination), amount in self.actuals.items():
            if combination != TOTAL:
                self.parts_by_period[period_id].append((combination, amount))
        self.shows_parts = selectors.sees_project_rows(user) and not totals_only
        self.values = (
            {} if totals_only else {value.pk: value for value in DimensionValue.objects.all()}
        )
        self.period_query = periods

    def latest_reported(self) -> list[int]:
        """Per indicator, the latest period with a counted total."""
        latest = []
        for indicator in self.indicators:
            periods = self.periods.get(indicator.pk, [])
            found = next((p for p in reversed(periods) if (p.pk, TOTAL) in self.actuals), None)
            if found is not None and not indicator.is_qualitative:
                latest.append(found.pk)
        return latest

    def period_row(
        self,
        indicator: Indicator,
        period: Period,
        baseline: Decimal | None,
        *,
        shows_targets: bool = True,
    ) -> tuple[PeriodRow, Decimal | None, Decimal | None]:
        """A period's target, actual and progress as shown, with the two figures as numbers."""
        target = self.targets.get((period.pk, TOTAL)) if shows_targets else None
        actual = self.actuals.get((period.pk, TOTAL))
        target_value = target.result(indicator.measure) if target else None
        actual_value = actual.result(indicator.measure) if actual else None
        progress = progress_to_target(
            baseline=baseline,
            target=target_value,
            actual=actual_value,
            direction=indicator.direction,
        )
        row = PeriodRow(
            period.label,
            amount_display(indicator, target),
            amount_display(indicator, actual),
            "–" if progress is None else f"{_rounded(progress, 0)} %",
            target_reached(target=target_value, actual=actual_value, direction=indicator.direction),
        )
        return row, target_value, actual_value

    def view(self, indicator: Indicator, *, shows_targets: bool = True) -> IndicatorView:
        periods = self.periods.get(indicator.pk, [])
        baseline, baseline_display = _baseline(indicator)
        rows: list[PeriodRow] = []
        columns: list[Column] = []
        for period in periods:
            row, target_value, actual_value = self.period_row(
                indicator, period, baseline, shows_targets=shows_targets
            )
            rows.append(row)
            columns.append(
                Column(
                    period.label,
                    target_value,
                    actual_value,
                    display(indicator, target_value),
                    display(indicator, actual_value),
                )
            )
        chart = targets_and_actuals(
            indicator.title,
            columns if not indicator.is_qualitative else [],
            baseline=baseline,
            baseline_display=baseline_display,
        )
        view = IndicatorView(
            indicator,
            _baseline_text(indicator, baseline_display),
            rows,
            chart,
            period_labels=[period.label for period in periods],
            shows_targets=shows_targets,
        )
        if self.shows_parts and not indicator.is_qualitative:
            view.parts = self._parts(indicator, periods)
        return view

    def _parts(self, indicator: Indicator, periods: list[Period]) -> list[PartRow]:
        """Per value of each dimension, the sum of the cells that hold it, per period."""
        sums: dict[tuple[int, int], list[Amount]] = defaultdict(list)
        for period in periods:
            for combination, amount in self.parts_by_period.get(period.pk, []):
                for value_id in combination_ids(combination):
                    sums[(period.pk, value_id)].append(amount)
        if not sums:
            return []
        rows = []
        for dimension in indicator.dimensions.all():
            for value in sorted(
                (v for v in self.values.values() if v.dimension_id == dimension.pk),
                key=lambda v: (v.ordering, v.code),
            ):
                cells = [
                    amount_display(
                        indicator, combine(indicator.measure, sums[(period.pk, value.pk)])
                    )
                    if sums.get((period.pk, value.pk))
                    else "–"
                    for period in periods
                ]
                rows.append(PartRow(dimension.name, value.label, cells))
        return rows


def shows_targets_to(user: AnyUser, indicator: Indicator) -> bool:
    """A partner user's figures are its own projects' only: beside a programme's indicator they
    show no target (its share of the programme's target is not known); beside its own
    project's indicator they do. Everyone else reads the figures the targets are for."""
    viewer = as_user(user)
    return not (viewer is not None and viewer.is_partner_user) or indicator.project_id is not None


def program_results(user: AnyUser, program: Program) -> ResultsPage:
    """The programme's outcomes, each indicator in one row: where it stands in its latest period
    with a counted total. The chart, every period, the breakdown and the projects are on the
    indicator's own page (``indicator_results``): at fifty indicators the page stays a page to
    read on a slow connection, not 700 kB of tables."""
    outcomes = list(
        selectors.visible_outcomes(user)
        .filter(program=program)
        .prefetch_related("change_types")
        .order_by("ordering", "pk")
    )
    indicators = (
        selectors.visible_indicators(user)
        .filter(outcome__program=program)
        .order_by("outcome__ordering", "outcome_id", "ordering", "pk")
    )
    framework = _Framework(user, indicators, totals_only=True)
    viewer = as_user(user)
    is_staff = viewer is not None and viewer.is_portal_staff
    by_outcome: dict[int, list[IndicatorSummary]] = defaultdict(list)
    for indicator in framework.indicators:
        by_outcome[indicator.outcome_id].append(
            _summary(framework, indicator, shows_target=shows_targets_to(user, indicator))
        )
    summaries = [
        OutcomeSummary(outcome, by_outcome.get(outcome.pk, []))
        for outcome in outcomes
        if is_staff or by_outcome.get(outcome.pk)
    ]
    mismatches: list[MismatchRow] = []
    if is_staff:
        mismatch_list = selectors.total_mismatches(user, framework.period_query)
        projects = {
            project.pk: project
            for project in Project.objects.filter(
                pk__in={m.project_id for m in mismatch_list}
            ).select_related("partner")
        }
        mismatches = _mismatch_rows(user, mismatch_list, projects, framework)
    return ResultsPage(summaries, mismatches)


def indicator_results(user: AnyUser, indicator: Indicator) -> IndicatorView:
    """One indicator of a programme: every period as a chart and a table, the breakdown, and
    for staff and partner users the projects' figures in its latest period with figures."""
    framework = _Framework(user, Indicator.objects.filter(pk=indicator.pk))
    view = framework.view(framework.indicators[0], shows_targets=shows_targets_to(user, indicator))
    if framework.shows_parts:
        figures = selectors.project_totals(user, framework.latest_reported())
        wanted = {figure.project_id for figure in figures}
        projects = {
            project.pk: project
            for project in Project.objects.filter(pk__in=wanted).select_related("partner")
        }
        linkable = set(visible_projects(user).filter(pk__in=wanted).values_list("pk", flat=True))
        _attach_projects(
            user, [OutcomeView(indicator.outcome, [view])], figures, projects, linkable, framework
        )
    view.citations = cited_stories(user, framework.periods.get(indicator.pk, []))
    return view


def _project_label(user: AnyUser, project: Project) -> tuple[str, str]:
    """A confidential partner's project appears to those who may not identify it by the
    partner's pseudonym and region only: no title, which could name a place or a group."""
    if may_identify(project.partner, user):
        return (
            project.title,
            f"{project.partner.name}, {partner_country_label(project.partner, user)}",
        )
    return partner_label(project.partner, user), partner_country_label(project.partner, user)


def _attach_projects(
    user: AnyUser,
    views: list[OutcomeView],
    figures: list[selectors.ProjectFigure],
    projects: dict[int, Project],
    linkable: set[int],
    framework: _Framework,
) -> None:
    """Each indicator's projects in its latest period with approved figures."""
    by_period: dict[int, list[selectors.ProjectFigure]] = defaultdict(list)
    for figure in figures:
        by_period[figure.period_id].append(figure)
    for outcome in views:
        for view in outcome.indicators:
            periods = framework.periods.get(view.indicator.pk, [])
            latest = next((p for p in reversed(periods) if by_period.get(p.pk)), None)
            if latest is None or view.indicator.is_qualitative:
                continue
            view.projects_period = latest.label
            rows = []
            for figure in by_period[latest.pk]:
                project = projects[figure.project_id]
                label, place = _project_label(user, project)
                href = (
                    reverse("project-results", args=[project.pk])
                    if project.pk in linkable and may_identify(project.partner, user)
                    else ""
                )
                rows.append(
                    ProjectRow(label, place, href, amount_display(view.indicator, figure.amount))
                )
            view.projects = sorted(rows, key=lambda row: row.label)


def _mismatch_rows(
    user: AnyUser,
    mismatches: list[selectors.Mismatch],
    projects: dict[int, Project],
    framework: _Framework,
) -> list[MismatchRow]:
    periods = {p.pk: (p, i) for i in framework.indicators for p in framework.periods.get(i.pk, [])}
    rows = []
    for mismatch in mismatches:
        period, indicator = periods[mismatch.period_id]
        label, _place = _project_label(user, projects[mismatch.project_id])
        rows.append(
            MismatchRow(
                indicator.title,
                period.label,
                label,
                amount_display(indicator, mismatch.total),
                amount_display(indicator, mismatch.parts),
            )
        )
    return rows


@dataclass
class ProjectResultsPage:
    outcomes: list[OutcomeSummary]
    reports: list[Due]


def project_results(user: AnyUser, project: Project) -> ProjectResultsPage:
    """A project's indicators, each in one row: its own, with their targets, and the programme's
    it contributes to, with its own figures only (the programme's targets belong to the
    programme's page). The chart, every period, the breakdown and the evidence are on the
    indicator's page for the project (``project_indicator_results``), as on the programme's."""
    indicators = selectors.project_indicators(user, project).order_by(
        "outcome__ordering", "outcome_id", "ordering", "pk"
    )
    framework = _Framework(user, indicators, project=project, totals_only=True)
    outcomes: dict[int, OutcomeSummary] = {}
    for indicator in framework.indicators:
        summary = _summary(framework, indicator, shows_target=indicator.project_id == project.pk)
        outcomes.setdefault(
            indicator.outcome_id, OutcomeSummary(indicator.outcome, [])
        ).rows.append(summary)
    # The spans of its periods, each with its report: one query (the periods are read).
    periods = [p for ps in framework.periods.values() for p in ps]
    reports = project_reports(user, project, periods)
    return ProjectResultsPage(list(outcomes.values()), reports)


def project_indicator_results(
    user: AnyUser, project: Project, indicator: Indicator
) -> IndicatorView:
    """One indicator as one project reports on it: every period as a chart and a table, its
    breakdown and the stories its approved reports cite."""
    framework = _Framework(user, Indicator.objects.filter(pk=indicator.pk), project=project)
    view = framework.view(framework.indicators[0], shows_targets=indicator.project_id == project.pk)
    view.citations = cited_stories(user, framework.periods.get(indicator.pk, []), project=project)
    return view


# --- The portfolio: every programme's indicators at a glance --------------------------------


@dataclass
class PortfolioProgramme:
    program: Program
    rows: list[IndicatorSummary]

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row.period)

    @property
    def reached(self) -> int:
        return sum(1 for row in self.rows if row.reached)


def portfolio(user: AnyUser) -> list[PortfolioProgramme]:
    """Per programme the viewer sees, each indicator's row of the programme's page: the same
    figures and rules, read for every programme at once in the queries of one page."""
    indicators = (
        selectors.visible_indicators(user)
        .filter(outcome__program__in=visible_programs(user).values("pk"))
        .select_related("outcome__program")
        .order_by("outcome__program__title", "outcome__ordering", "outcome_id", "ordering", "pk")
    )
    framework = _Framework(user, indicators, totals_only=True)
    programmes: dict[int, PortfolioProgramme] = {}
    for indicator in framework.indicators:
        program = indicator.outcome.program
        entry = programmes.setdefault(program.pk, PortfolioProgramme(program, []))
        entry.rows.append(
            _summary(framework, indicator, shows_target=shows_targets_to(user, indicator))
        )
    return list(programmes.values())


def _summary(
    framework: _Framework, indicator: Indicator, *, shows_target: bool
) -> IndicatorSummary:
    periods = framework.periods.get(indicator.pk, [])
    latest = next((p for p in reversed(periods) if (p.pk, TOTAL) in framework.actuals), None)
    if latest is None or indicator.is_qualitative:
        return IndicatorSummary(indicator, "", "–", "–", "–", reached=False)
    row, _target, _actual = framework.period_row(
        indicator, latest, _baseline(indicator)[0], shows_targets=shows_target
    )
    return IndicatorSummary(indicator, row.label, row.target, row.actual, row.progress, row.reached)
