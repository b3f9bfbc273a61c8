"""A programme's or a project's results framework as a table, for the CSV and XLSX downloads.

One row per indicator, period and combination: a **programme row** (``project_id`` empty) with
the programme's target and the actuals that count in the viewer's figures (what the programme's
results page shows the viewer), then a **project row** per project whose actuals the viewer may
read as rows (``results.selectors.row_projects``), with that project's actual and its status. A
project's own indicator has no programme row: its target is on the project's rows. Every project
row of a project's total is written, reported or not, so the file is also the form a later
import of actuals reads back.

The header row holds stable column keys (``COLUMN_KEYS``, English, never translated): the same
file in any language, read back by key. The human labels are in a second sheet of the XLSX
(``labels``); CSV has one table, and the keys are documented in docs/results.md. Columns per
dimension are those of every dimension defined (``dimension_<code>``), so the header is the
same for every programme.

The same rules as the pages: an officer never meets a row of a confidential partner's project
(its approved figures count in the programme rows only); a partner user reads its own projects'
rows; network members download nothing (DESIGN §4, ``portal.access.may_download``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.selectors import partner_country_label, partner_label
from programs.models import Program, Project
from results import selectors
from results.models import (
    TOTAL,
    Actual,
    Dimension,
    Indicator,
    Measure,
    Period,
    Target,
    combination_ids,
)
from results.rollup import Amount

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from portal.access import AnyUser

DIMENSION_PREFIX = "dimension_"
_CENT = Decimal("0.01")

# (key, label): the key stands in the header row, the label in the sheet of labels.
COLUMNS: tuple[tuple[str, _StrPromise], ...] = (
    ("programme_id", gettext_lazy("Programme (id)")),
    ("programme", gettext_lazy("Programme")),
    ("outcome_id", gettext_lazy("Outcome (id)")),
    ("outcome", gettext_lazy("Outcome")),
    ("indicator_id", gettext_lazy("Indicator (id)")),
    ("indicator", gettext_lazy("Indicator")),
    ("measure", gettext_lazy("Measure: count, sum, percentage, currency or qualitative")),
    ("unit", gettext_lazy("Unit")),
    ("currency", gettext_lazy("Currency (ISO 4217)")),
    ("direction", gettext_lazy("Direction: increase (more is better) or decrease")),
    ("baseline_value", gettext_lazy("Baseline")),
    ("baseline_numerator", gettext_lazy("Baseline numerator")),
    ("baseline_denominator", gettext_lazy("Baseline denominator")),
    ("baseline_percentage", gettext_lazy("Baseline in per cent")),
    ("baseline_date", gettext_lazy("Baseline date")),
    ("period_id", gettext_lazy("Period (id)")),
    ("period_start", gettext_lazy("Period from")),
    ("period_end", gettext_lazy("Period to")),
    ("project_id", gettext_lazy("Project (id); empty on a row of the programme")),
    ("project", gettext_lazy("Project")),
    ("partner", gettext_lazy("Partner")),
    ("place", gettext_lazy("Country (or region)")),
    ("combination", gettext_lazy("Disaggregation key; empty for the total")),
)
FIGURE_COLUMNS: tuple[tuple[str, _StrPromise], ...] = (
    ("target_value", gettext_lazy("Target")),
    ("target_numerator", gettext_lazy("Target numerator")),
    ("target_denominator", gettext_lazy("Target denominator")),
    ("target_percentage", gettext_lazy("Target in per cent")),
    ("actual_value", gettext_lazy("Actual")),
    ("actual_numerator", gettext_lazy("Actual numerator")),
    ("actual_denominator", gettext_lazy("Actual denominator")),
    ("actual_percentage", gettext_lazy("Actual in per cent")),
    (
        "status",
        gettext_lazy(
            "Status of the project's actual: draft, submitted, approved or returned; "
            "a programme row counts approved actuals only"
        ),
    ),
)


def _percentage(amount: Amount | None) -> Decimal | None:
    percent = amount.percent() if amount is not None else None
    return percent.quantize(_CENT, rounding=ROUND_HALF_UP) if percent is not None else None


def _figure(amount: Amount | None, measure: str) -> list[Any]:
    if amount is None:
        return [None, None, None, None]
    percentage = _percentage(amount) if measure == Measure.PERCENTAGE else None
    return [amount.value, amount.numerator, amount.denominator, percentage]


def _amount(figure: Target | Actual) -> Amount:
    return Amount(figure.value, figure.numerator, figure.denominator)


@dataclass(frozen=True)
class _Row:
    indicator: Indicator
    period: Period
    project: Project | None
    combination: str


class ResultsTable:
    """The rows of one programme's framework (or one project's part of it) as the viewer may
    read them, from a fixed number of queries whatever the size of the framework."""

    def __init__(
        self, user: AnyUser, *, program: Program | None = None, project: Project | None = None
    ) -> None:
        assert (program is None) != (project is None)
        self.user = user
        self.project = project
        if project is not None:
            indicators = selectors.project_indicators(user, project)
        else:
            indicators = selectors.visible_indicators(user).filter(outcome__program=program)
        self.indicators = list(
            indicators.select_related("outcome__program")
            .prefetch_related(Prefetch("dimensions", queryset=Dimension.objects.all()))
            .order_by("outcome__ordering", "outcome_id", "ordering", "pk")
        )
        indicator_ids = [indicator.pk for indicator in self.indicators]
        periods = Period.objects.filter(indicator__in=indicator_ids).order_by("start", "end")
        self.periods: dict[int, list[Period]] = defaultdict(list)
        for period in periods:
            self.periods[period.indicator_id].append(period)
        self.targets = {
            (target.period_id, target.combination): _amount(target)
            for target in Target.objects.filter(period__indicator__in=indicator_ids)
        }
        # The programme's rows: what the programme's page counts for the viewer.
        self.sums = selectors.actual_sums(user, periods.order_by()) if project is None else {}
        self.dimensions = list(selectors.visible_dimensions(user).order_by("ordering", "code"))
        self.values = {value.pk: value for value in selectors.visible_dimension_values(user)}
        reporting: dict[int, set[int]] = defaultdict(set)
        for indicator_id, project_id in Indicator.projects.through.objects.filter(
            indicator__in=indicator_ids
        ).values_list("indicator_id", "project_id"):
            reporting[indicator_id].add(project_id)
        for indicator in self.indicators:
            if indicator.project_id is not None:
                reporting[indicator.pk] = {indicator.project_id}
        actuals = selectors.visible_actuals(user).filter(period__indicator__in=indicator_ids)
        if project is not None:
            actuals = actuals.filter(project=project)
        period_indicator = {period.pk: period.indicator_id for period in periods}
        self.actuals: dict[tuple[int, int, str], Actual] = {}
        for actual in actuals.order_by():
            self.actuals[(actual.period_id, actual.project_id, actual.combination)] = actual
            # A project that reported and has since left the indicator keeps its rows.
            reporting[period_indicator[actual.period_id]].add(actual.project_id)
        readable = selectors.row_projects(user)
        if project is not None:
            readable = readable.filter(pk=project.pk)
        wanted = set().union(*reporting.values())
        self.projects = {
            row.pk: row
            for row in readable.filter(pk__in=wanted).select_related("partner").order_by("pk")
        }
        # Per indicator, the projects with rows, in a stable order.
        self.reporting = {
            indicator_id: sorted(pk for pk in project_ids if pk in self.projects)
            for indicator_id, project_ids in reporting.items()
        }
        # Per (period, project), the combinations with an actual row beside the total.
        self.reported: dict[tuple[int, int], set[str]] = defaultdict(set)
        for period_id, project_id, combination in self.actuals:
            self.reported[(period_id, project_id)].add(combination)
        self.targeted: dict[int, set[str]] = defaultdict(set)
        for period_id, combination in self.targets:
            self.targeted[period_id].add(combination)
        self.counted: dict[int, set[str]] = defaultdict(set)
        for period_id, combination in self.sums:
            self.counted[period_id].add(combination)

    # --- The layout ---------------------------------------------------------------------------

    def header(self) -> list[str]:
        return [
            *(key for key, _label in COLUMNS),
            *(f"{DIMENSION_PREFIX}{dimension.code}" for dimension in self.dimensions),
            *(key for key, _label in FIGURE_COLUMNS),
        ]

    def labels(self) -> list[list[str]]:
        """The sheet of labels: each column's key and what it holds, in the viewer's language."""
        return [
            *([key, str(label)] for key, label in COLUMNS),
            *(
                [f"{DIMENSION_PREFIX}{dimension.code}", str(dimension.name)]
                for dimension in self.dimensions
            ),
            *([key, str(label)] for key, label in FIGURE_COLUMNS),
        ]

    def _order(self, combination: str) -> tuple[tuple[int, int, str], ...]:
        """Combinations in the order of their dimensions and values; the total first."""
        values = [self.values[pk] for pk in combination_ids(combination) if pk in self.values]
        return tuple(
            sorted((value.dimension.ordering, value.ordering, value.code) for value in values)
        )

    def _combinations(self, keys: set[str]) -> list[str]:
        return sorted({TOTAL} | keys, key=lambda key: (key != TOTAL, self._order(key), key))

    def _plan(self) -> Iterator[_Row]:
        for indicator in self.indicators:
            own = indicator.project_id is not None
            for period in self.periods.get(indicator.pk, []):
                if self.project is None and not own:
                    keys = self.targeted[period.pk] | self.counted[period.pk]
                    for combination in self._combinations(keys):
                        yield _Row(indicator, period, None, combination)
                for project_id in self.reporting.get(indicator.pk, []):
                    keys = set(self.reported[(period.pk, project_id)])
                    if own:
                        keys |= self.targeted[period.pk]
                    for combination in self._combinations(keys):
                        yield _Row(indicator, period, self.projects[project_id], combination)

    def count(self) -> int:
        return sum(1 for _row in self._plan())

    def rows(self) -> Iterator[list[Any]]:
        for row in self._plan():
            yield self._cells(row)

    def _cells(self, row: _Row) -> list[Any]:
        indicator, period, project = row.indicator, row.period, row.project
        measure = indicator.measure
        baseline = Amount(
            indicator.baseline_value, indicator.baseline_numerator, indicator.baseline_denominator
        )
        chosen = {
            self.values[pk].dimension_id: self.values[pk]
            for pk in combination_ids(row.combination)
            if pk in self.values
        }
        own = indicator.project_id is not None
        if project is None:
            target = self.targets.get((period.pk, row.combination))
            actual_amount = self.sums.get((period.pk, row.combination))
            status = ""
        else:
            # A programme's target is the programme's: only a project's own indicator has its
            # target on the project's rows.
            target = self.targets.get((period.pk, row.combination)) if own else None
            actual = self.actuals.get((period.pk, project.pk, row.combination))
            actual_amount = _amount(actual) if actual is not None else None
            status = actual.status if actual is not None else ""
        outcome = indicator.outcome
        return [
            outcome.program_id,
            outcome.program.title,
            outcome.pk,
            outcome.title,
            indicator.pk,
            indicator.title,
            measure,
            indicator.unit,
            indicator.currency,
            indicator.direction,
            *_figure(baseline if not baseline.empty else None, measure),
            indicator.baseline_date,
            period.pk,
            period.start,
            period.end,
            project.pk if project is not None else None,
            project.title if project is not None else "",
            partner_label(project.partner, self.user) if project is not None else "",
            partner_country_label(project.partner, self.user) if project is not None else "",
            row.combination,
            *(
                str(chosen[dimension.pk].name) if dimension.pk in chosen else ""
                for dimension in self.dimensions
            ),
            *_figure(target, measure),
            *_figure(actual_amount, measure),
            status,
        ]


def labels_sheet(table: ResultsTable) -> tuple[str, Sequence[str], list[list[str]]]:
    return (_("Labels"), [_("Column"), _("What it holds")], table.labels())
