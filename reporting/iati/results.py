"""The results framework in the IATI file: ``result`` / ``indicator`` / ``baseline`` / ``period``.

- A **project's** activity (hierarchy 2) carries, per outcome, the indicators the project reports
  on: its own, with their baseline and targets, and the programme's it contributes to, whose
  baseline and targets are the programme's (on the programme's activity). Its actuals are its own
  **approved** figures, the total and each disaggregation (``dimension`` name and value).
- A **programme's** activity (hierarchy 1) carries the programme's indicators with their
  baseline and targets, and no actuals: a programme total would count the confidential
  partners' figures, and the difference between it and its public projects' figures would give
  them away. IATI's readers add the children's actuals up themselves.
- A confidential partner's project is not in the file (``build.build_activities``), so neither
  are its own indicators nor its figures.
- Figures are written as the database holds them, without correcting anything: what does not
  fit IATI's rules (an actual without a value, a share above 100 %, a period longer than a
  year) is found by ``validate`` and shown on the check page, not hidden by the builder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from reporting.iati.xml import sub, text_element
from results.models import (
    Actual,
    DimensionValue,
    Direction,
    Indicator,
    Measure,
    Outcome,
    Period,
    Target,
    combination_ids,
)
from results.rollup import Amount

# IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative. Counts, sums and
# amounts of money are units (IATI has no currency on an indicator: the unit says it).
MEASURES: dict[str, str] = {
    Measure.COUNT: "1",
    Measure.SUM: "1",
    Measure.CURRENCY: "1",
    Measure.PERCENTAGE: "2",
    Measure.QUALITATIVE: "5",
}
RESULT_OUTCOME = "2"  # ResultType
_CENT = Decimal("0.01")


@dataclass
class Framework:
    """What the file needs of the framework, read in a fixed number of queries."""

    indicators: list[Indicator] = field(default_factory=list)
    contributions: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    periods: dict[int, list[Period]] = field(default_factory=lambda: defaultdict(list))
    targets: dict[int, list[Target]] = field(default_factory=lambda: defaultdict(list))
    actuals: dict[tuple[int, int], list[Actual]] = field(default_factory=lambda: defaultdict(list))
    values: dict[int, DimensionValue] = field(default_factory=dict)


def load_framework(
    indicators: Iterable[Indicator], actuals: Iterable[Actual], values: Iterable[DimensionValue]
) -> Framework:
    """The indicators (with their outcomes), their periods and targets, and the actuals given,
    of which only the approved ones are kept whoever passes them."""
    framework = Framework(indicators=list(indicators), values={v.pk: v for v in values})
    ids = [indicator.pk for indicator in framework.indicators]
    for indicator_id, project_id in Indicator.projects.through.objects.filter(
        indicator__in=ids
    ).values_list("indicator_id", "project_id"):
        framework.contributions[indicator_id].add(project_id)
    for period in Period.objects.filter(indicator__in=ids).order_by("start", "end", "pk"):
        framework.periods[period.indicator_id].append(period)
    for target in Target.objects.filter(period__indicator__in=ids).order_by("combination"):
        framework.targets[target.period_id].append(target)
    for actual in actuals:
        if actual.status == Actual.Status.APPROVED:
            framework.actuals[(actual.period_id, actual.project_id)].append(actual)
    return framework


def _number(value: Decimal) -> str:
    return format(value.quantize(_CENT, rounding=ROUND_HALF_UP).normalize(), "f")


def _value(indicator: Indicator, figure: Target | Actual | None = None) -> str | None:
    """The figure as IATI reads it: a share in per cent for a percentage, else the value."""
    if figure is None:
        amount = Amount(
            indicator.baseline_value, indicator.baseline_numerator, indicator.baseline_denominator
        )
    else:
        amount = Amount(figure.value, figure.numerator, figure.denominator)
    number = amount.result(indicator.measure)
    return _number(number) if number is not None else None


def _described(indicator: Indicator) -> str:
    unit = indicator.currency if indicator.measure == Measure.CURRENCY else indicator.unit
    parts = [indicator.description.strip(), f"Unit: {unit}." if unit else ""]
    return " ".join(part for part in parts if part)


# What an element of the file was written from: ("program" | "project" | "indicator" |
# "period" | "target" | "actual", its primary key). The check page links a problem to it.
Source = tuple[str, int]


class ResultsWriter:
    def __init__(
        self, framework: Framework, sources: dict[etree._Element, Source] | None = None
    ) -> None:
        self.framework = framework
        self.sources: dict[etree._Element, Source] = {} if sources is None else sources

    def _values(self, combination: str) -> list[DimensionValue]:
        values = [self.framework.values[pk] for pk in combination_ids(combination)]
        return sorted(values, key=lambda v: (v.dimension.ordering, v.ordering, v.code))

    def _order(self, figure: Target | Actual) -> tuple[bool, list[tuple[int, int, str]]]:
        """The total first, then the parts in the order of their dimensions and values."""
        return figure.combination != "", [
            (v.dimension.ordering, v.ordering, v.code) for v in self._values(figure.combination)
        ]

    def _dimensions(self, element: etree._Element, combination: str) -> None:
        for value in self._values(combination):
            sub(element, "dimension", name=value.dimension.name_en, value=value.name_en)

    def _figure(
        self, period: etree._Element, tag: str, indicator: Indicator, figure: Target | Actual
    ) -> None:
        element = sub(period, tag)
        self.sources[element] = (tag, figure.pk)
        value = _value(indicator, figure)
        if value is not None:
            element.set("value", value)
        self._dimensions(element, figure.combination)

    def _indicator(
        self,
        result: etree._Element,
        indicator: Indicator,
        *,
        project_id: int | None,
        with_targets: bool,
    ) -> None:
        element = sub(result, "indicator", measure=MEASURES[indicator.measure])
        self.sources[element] = ("indicator", indicator.pk)
        if not indicator.is_qualitative:
            element.set(
                "ascending", "false" if indicator.direction == Direction.DECREASE else "true"
            )
        text_element(element, "title", indicator.title)
        if description := _described(indicator):
            text_element(element, "description", description)
        # Qualitative indicators carry narratives only (IATI's rule); the stories that explain
        # them travel as their own results.
        if indicator.is_qualitative:
            return
        baseline = _value(indicator)
        if with_targets and (baseline is not None or indicator.baseline_date is not None):
            attributes = {}
            if indicator.baseline_date is not None:
                attributes = {
                    "year": str(indicator.baseline_date.year),
                    "iso_date": indicator.baseline_date.isoformat(),
                }
            element_baseline = sub(element, "baseline", **attributes)
            if baseline is not None:
                element_baseline.set("value", baseline)
        for period in self.framework.periods.get(indicator.pk, []):
            targets = self.framework.targets.get(period.pk, []) if with_targets else []
            actuals = (
                self.framework.actuals.get((period.pk, project_id), [])
                if project_id is not None
                else []
            )
            if not targets and not actuals:
                continue
            period_element = sub(element, "period")
            self.sources[period_element] = ("period", period.pk)
            sub(period_element, "period-start", iso_date=period.start.isoformat())
            sub(period_element, "period-end", iso_date=period.end.isoformat())
            for target in sorted(targets, key=self._order):
                self._figure(period_element, "target", indicator, target)
            for actual in sorted(actuals, key=self._order):
                self._figure(period_element, "actual", indicator, actual)

    def _results(
        self,
        activity: etree._Element,
        chosen: Sequence[tuple[Indicator, bool]],
        *,
        project_id: int | None,
    ) -> None:
        by_outcome: dict[int, list[tuple[Indicator, bool]]] = defaultdict(list)
        outcomes: dict[int, Outcome] = {}
        for indicator, with_targets in chosen:
            by_outcome[indicator.outcome_id].append((indicator, with_targets))
            outcomes[indicator.outcome_id] = indicator.outcome
        for outcome_id, indicators in by_outcome.items():
            outcome = outcomes[outcome_id]
            result = sub(activity, "result", type=RESULT_OUTCOME)
            text_element(result, "title", outcome.title)
            if outcome.description.strip():
                text_element(result, "description", outcome.description.strip())
            for indicator, with_targets in indicators:
                self._indicator(result, indicator, project_id=project_id, with_targets=with_targets)

    def program(self, activity: etree._Element, program_id: int) -> None:
        self.sources[activity] = ("program", program_id)
        chosen = [
            (indicator, True)
            for indicator in self.framework.indicators
            if indicator.project_id is None and indicator.outcome.program_id == program_id
        ]
        self._results(activity, chosen, project_id=None)

    def project(self, activity: etree._Element, program_id: int, project_id: int) -> None:
        self.sources[activity] = ("project", project_id)
        chosen = [
            (indicator, indicator.project_id == project_id)
            for indicator in self.framework.indicators
            if indicator.outcome.program_id == program_id
            and (
                indicator.project_id == project_id
                or (
                    indicator.project_id is None
                    and project_id in self.framework.contributions.get(indicator.pk, set())
                )
            )
        ]
        self._results(activity, chosen, project_id=project_id)
