"""The arithmetic of results, as pure functions over plain values (no database).

- **Roll-up**: projects' figures for a period combine into the programme's by the indicator's
  measure. Counts, sums and amounts of money add up. A percentage is the sum of the numerators
  over the sum of the denominators — never the mean of the projects' percentages, which would
  give a project of ten people the weight of one of a thousand. A qualitative indicator has no
  figure.
- **Disaggregation**: a project's total for a period is a row of its own (the combination
  ``""``); its parts, where it reports them, are one row per combination of values. The parts
  must add up to the total; ``disagreements`` lists the periods where they do not.
- **Progress to target**: how far the figure has come from the baseline towards the target, in
  per cent, whichever way the indicator points.

``results.selectors`` computes the same sums in SQL (one grouped query per page); the tests
prove, over random frameworks, that both give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from results.models import TOTAL, Direction, Measure

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Amount:
    """One figure: a value, or (for a percentage) its numerator and denominator."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None

    def percent(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * HUNDRED / self.denominator

    def result(self, measure: str) -> Decimal | None:
        """The number to show: the value, or the percentage its parts make."""
        if measure == Measure.QUALITATIVE:
            return None
        if measure == Measure.PERCENTAGE:
            return self.percent()
        return self.value


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def combine(measure: str, amounts: Iterable[Amount]) -> Amount:
    """The roll-up of several figures of one indicator and period by the indicator's rule."""
    if measure == Measure.QUALITATIVE:
        return Amount()
    amounts = list(amounts)
    if measure == Measure.PERCENTAGE:
        # Only figures that have both parts count: a numerator without its denominator says
        # nothing about the share.
        complete = [a for a in amounts if a.numerator is not None and a.denominator]
        return Amount(
            numerator=_sum(a.numerator for a in complete),
            denominator=_sum(a.denominator for a in complete),
        )
    return Amount(value=_sum(a.value for a in amounts))


@dataclass(frozen=True)
class Cell:
    """One stored actual: a project's figure for a period and combination."""

    period_id: int
    project_id: int
    combination: str
    amount: Amount


def roll_up(measure: str, cells: Iterable[Cell]) -> dict[tuple[int, str], Amount]:
    """The programme's figure per (period, combination): the projects' figures combined."""
    grouped: dict[tuple[int, str], list[Amount]] = defaultdict(list)
    for cell in cells:
        grouped[(cell.period_id, cell.combination)].append(cell.amount)
    return {key: combine(measure, amounts) for key, amounts in grouped.items()}


@dataclass(frozen=True)
class Disagreement:
    """A project's period whose stored total is not the sum of its parts."""

    period_id: int
    project_id: int
    total: Amount
    parts: Amount


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return (a or Decimal(0)) == (b or Decimal(0))


def disagreements(measure: str, cells: Iterable[Cell]) -> list[Disagreement]:
    """The (period, project) pairs that report parts whose sum differs from their total (a
    missing total counts as zero). For a percentage, numerators and denominators are compared
    separately: the shares of the parts do not add up, their counts do."""
    if measure == Measure.QUALITATIVE:
        return []
    totals: dict[tuple[int, int], list[Amount]] = defaultdict(list)
    parts: dict[tuple[int, int], list[Amount]] = defaultdict(list)
    for cell in cells:
        key = (cell.period_id, cell.project_id)
        (totals if cell.combination == TOTAL else parts)[key].append(cell.amount)
    found = []
    for key in sorted(parts):
        total = combine(measure, totals.get(key, []))
        summed = combine(measure, parts[key])
        fields = ("numerator", "denominator") if measure == Measure.PERCENTAGE else ("value",)
        if not all(_same(getattr(total, name), getattr(summed, name)) for name in fields):
            found.append(Disagreement(key[0], key[1], total, summed))
    return found


def progress_to_target(
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    direction: str,
) -> Decimal | None:
    """How far ``actual`` has come from the baseline towards the target, in per cent (100 is
    the target reached; above 100 beyond it; below 0 the wrong way). None without a target or
    an actual.

    For an indicator where less is better, the target lies below the baseline and the same
    share measures the way down. Without a baseline the way starts at zero.
    """
    if target is None or actual is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    span = target - start
    if span == 0:
        reached = actual <= target if direction == Direction.DECREASE else actual >= target
        return HUNDRED if reached else Decimal(0)
    return (actual - start) * HUNDRED / span


def target_reached(*, target: Decimal | None, actual: Decimal | None, direction: str) -> bool:
    if target is None or actual is None:
        return False
    return actual <= target if direction == Direction.DECREASE else actual >= target
