"""Disclosure control for network members' figures (DESIGN §6, docs/reports.md).

A network member reads fixed tables: one period at a time (all time, a calendar year or a
calendar half-year), no other filter. Every count is published as a *range* the reader can
work out, never as the exact number:

- 0 is shown as 0 (an empty row is simply absent);
- 1 to 4 as "<5", that is somewhere in [1, 4];
- anything else rounded to the nearest five: "10" means 8 to 12, "5" means 5 to 7.

Totals are rounded from the true counts, not summed from rounded rows. Rounding alone is not
enough: the figures are tied together (a year is its two halves, all time is its years, the
headline is the sum of the partners' rows, of the countries', of the programmes', of the
tellers'), and with ranges at the right edges those ties pin a count exactly (a year shown as
"10" whose halves are both "<5" must be 4 + 4). So all the figures a member can request are
computed together, and a propagation of ranges along every tie — the reasoning an attacker
would do — finds each figure the ties would pin. For each one, a figure that supplies the
pinning upper bound is *hidden* (shown as "hidden"): to the reader it is then only "at least
one", which lifts the bound. This repeats until nothing is pinned. Hiding is decided per
figure, whatever page shows it, so a figure is hidden on every page alike.

The propagation is weaker than a linear program over all figures; ``tests/security/
test_disclosure.py`` is that linear program, run over every page a member can request, and it
finds no count it can pin.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from portal.charts import Figure
from reporting.models import StoryAggregate
from reporting.suppression import (
    BASE,
    Key,
    Relation,
    protect,
    rounded,
)

logger = logging.getLogger(__name__)


# --- The member's periods ---------------------------------------------------------------------

Half = tuple[int, int]  # (year, 1 or 2)


@dataclass(frozen=True)
class Period:
    code: str  # "all", "2025" or "2025-H1": the form's value and the figures' key
    label: str
    halves: tuple[Half, ...]

    @property
    def start(self) -> dt.date | None:
        if self.code == "all" or not self.halves:
            return None
        year, half = self.halves[0]
        return dt.date(year, 1 if half == 1 else 7, 1)

    @property
    def end(self) -> dt.date | None:
        if self.code == "all" or not self.halves:
            return None
        year, half = self.halves[-1]
        return dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)


def _half_of(month: dt.date) -> Half:
    return month.year, 1 if month.month <= 6 else 2


def _half_label(half: Half) -> str:
    return (
        _("%(year)s, first half") % {"year": half[0]}
        if half[1] == 1
        else _("%(year)s, second half") % {"year": half[0]}
    )


def _periods(years: Iterable[int]) -> list[Period]:
    years = sorted(years)
    every_half = tuple((year, half) for year in years for half in (1, 2))
    periods = [Period("all", _("All time"), every_half)]
    for year in reversed(years):
        periods.append(Period(str(year), str(year), ((year, 1), (year, 2))))
        for half in ((year, 1), (year, 2)):
            periods.append(Period(f"{year}-H{half[1]}", _half_label(half), (half,)))
    return periods


def sub_periods(period: Period, periods: Sequence[Period]) -> list[Period]:
    """The periods a period is the sum of: all time its years, a year its halves."""
    by_code = {candidate.code: candidate for candidate in periods}
    if period.code == "all":
        years = sorted({year for year, _half in period.halves})
        return [by_code[str(year)] for year in years]
    if "-H" not in period.code:
        return [by_code[f"{period.code}-H1"], by_code[f"{period.code}-H2"]]
    return []


# --- Every figure a member can request, published together -------------------------------------

# The rows of a member's tables; each is counted per period. "stories" is the headline.
# No countries: a country's count is the sum of its partners' (each partner's label names its
# country), a tie the attack test used to pin counts; the partners' rows say where already.
STORY_DIMENSIONS = ("partner", "programme", "teller")


@dataclass
class Publication:
    """All a member's figures: every period, every row, each hidden or shown as its range."""

    periods: list[Period]
    values: dict[Key, int]
    hidden: frozenset[Key]
    rows: dict[str, list[Any]] = field(default_factory=dict)  # each dimension's row values

    def period(self, code: str) -> Period:
        return next(period for period in self.periods if period.code == code)

    def figure(self, key: Key, href: str = "") -> Figure:
        """The figure as the member sees it; its value is the published one, never the count."""
        value = self.values.get(key, 0)
        label = figure_key(key)
        if key in self.hidden:
            return Figure(0, hidden=True, key=label)
        if 0 < value < BASE:
            return Figure(0, suppressed=True, key=label)
        return Figure(rounded(value), href if value else "", key=label)


def figure_key(key: Key) -> str:
    """A figure's key as the page writes it in ``data-figure``: what the row and column say."""
    return "|".join(str(part) for part in key)


def _story_cells(cells: QuerySet[StoryAggregate]) -> QuerySet[StoryAggregate]:
    return cells.filter(change_type__isnull=True, target_group__isnull=True)


def member_publication(cells: QuerySet[StoryAggregate]) -> Publication:
    """Every figure of every table the member can request, from the member's own cells.

    Three grouped queries over the aggregate cells (their number does not grow with the number
    of stories); everything else is arithmetic on at most a few thousand figures.
    """
    per_half: dict[tuple[str, Any], dict[Half, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        _story_cells(cells)
        .values("month", "partner_id", "program_id", "submitter_role")
        .annotate(n=Sum("story_count"))
        .order_by()
    ):
        half = _half_of(row["month"])
        per_half[("stories", None)][half] += row["n"]
        per_half[("partner", row["partner_id"])][half] += row["n"]
        per_half[("programme", row["program_id"] or 0)][half] += row["n"]
        per_half[("teller", row["submitter_role"])][half] += row["n"]
    for dimension, column in (("type", "change_type"), ("group", "target_group")):
        for row in (
            cells.filter(**{f"{column}__isnull": False})
            .values("month", column)
            .annotate(n=Sum("story_count"))
            .order_by()
        ):
            per_half[(dimension, row[column])][_half_of(row["month"])] += row["n"]
    years = {year for counts in per_half.values() for year, _half in counts}
    periods = _periods(years)
    rows: dict[str, list[Any]] = defaultdict(list)
    for dimension, row_value in per_half:
        if dimension != "stories":
            rows[dimension].append(row_value)
    values: dict[Key, int] = {}
    for (dimension, row_value), counts in per_half.items():
        for period in periods:
            values[_key(dimension, period.code, row_value)] = sum(
                counts.get(half, 0) for half in period.halves
            )
    for period in periods:  # the headline exists even when there is nothing to count
        values.setdefault(_key("stories", period.code, None), 0)
    relations = []
    for period in periods:
        headline = _key("stories", period.code, None)
        for dimension in STORY_DIMENSIONS:
            relations.append(
                Relation(
                    headline,
                    tuple(_key(dimension, period.code, row) for row in rows[dimension]),
                )
            )
        # The story form's rules tie the type and group tables to the stories: every story has
        # at least one change type, and none has more types or groups than there are. Stories
        # entered past the form (the admin, old data) may have none: then the tie does not
        # hold, and a reader assuming it would only be misled.
        types = tuple(_key("type", period.code, row) for row in rows["type"])
        groups = tuple(_key("group", period.code, row) for row in rows["group"])
        if values[headline] <= sum(values[key] for key in types):
            relations.append(Relation(headline, types, "at_most"))
        relations.append(Relation(headline, types, "share", max(1, len(types))))
        relations.append(Relation(headline, groups, "share", max(1, len(groups))))
        below = sub_periods(period, periods)
        if below:
            for dimension, row_value in per_half:
                relations.append(
                    Relation(
                        _key(dimension, period.code, row_value),
                        tuple(_key(dimension, sub.code, row_value) for sub in below),
                    )
                )
    return Publication(periods, values, protect(values, relations), dict(rows))


def _key(dimension: str, period: str, row: Any) -> Key:
    return (dimension, period) if dimension == "stories" else (dimension, period, row)


def story_key(dimension: str, period: Period, row: Any = None) -> Key:
    """The key of a member's figure: the headline, or a row of one of the tables."""
    return _key(dimension, period.code, row)
