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
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from portal.charts import Figure
from reporting.models import StoryAggregate
from reporting.selectors import SMALL_CELL

logger = logging.getLogger(__name__)

BASE = SMALL_CELL
INFINITY = math.inf

# A figure's name: any hashable value (the report uses tuples: dimension, period, row).
Key = Any


def rounded(value: int) -> int:
    """The nearest multiple of five (counts are whole numbers, so there is never a tie)."""
    return BASE * ((value + BASE // 2) // BASE)


def published_range(value: int) -> tuple[int, int]:
    """What a reader who knows the rule can tell about a count from how it is shown."""
    if value == 0:
        return 0, 0
    if value < BASE:
        return 1, BASE - 1
    shown = rounded(value)
    return max(BASE, shown - BASE // 2), shown + BASE // 2


@dataclass(frozen=True)
class Relation:
    """A tie a reader knows between a figure and others.

    ``sum``: the total is exactly the sum of the parts (a year of its halves, the headline of a
    table's rows). ``at_most``: the total is at most their sum (the stories of a period and
    their change types: every story has at least one). ``share``: the parts' sum is at most
    ``factor`` times the total (no story names more than every change type or target group).
    """

    total: Key
    parts: tuple[Key, ...]
    kind: str = "sum"
    factor: int = 1


Bounds = dict[Key, float]
Source = dict[Key, tuple[str, Relation | None]]


@dataclass
class Ranges:
    """What the ties let a reader conclude about each figure, and where each bound came from:
    the figure's own range (``own``), a total it is part of (``total``), or its parts
    (``parts``)."""

    low: Bounds
    high: Bounds
    low_source: Source
    high_source: Source

    def pinned(self, values: Mapping[Key, int]) -> list[Key]:
        return [key for key, value in values.items() if value and self.low[key] >= self.high[key]]


def protect(values: Mapping[Key, int], relations: Sequence[Relation]) -> frozenset[Key]:
    """The figures to hide so that no tie pins any non-zero count to one value.

    One figure at a time, the one that undoes the most pins (one hidden total often frees all
    its rows), until nothing is pinned. Each round hides one more figure, so it ends; a page
    never fails over it.
    """
    hidden: set[Key] = set()
    while True:
        ranges = propagate(values, relations, hidden)
        pinned = ranges.pinned(values)
        votes = Counter(
            culprit
            for key in pinned
            if (culprit := _culprit(key, ranges, hidden, values, set())) is not None
        )
        # Where no tie says which figure to hide, a pinned figure itself goes.
        candidates = votes or Counter(key for key in pinned if key not in hidden)
        if not candidates:
            if pinned:  # only ties that do not hold could pin a hidden figure
                logger.warning("disclosure.pinned_hidden figures=%s", len(pinned))
            return frozenset(hidden)
        hidden.add(min(candidates, key=lambda key: (-candidates[key], repr(key))))


# Enough for ranges to settle through the few levels of ties a member's tables have; a cap
# only makes the propagation weaker, and the attack test would show what it missed.
_PROPAGATION_ROUNDS = 50


def propagate(values: Mapping[Key, int], relations: Sequence[Relation], hidden: set[Key]) -> Ranges:
    """Tighten every figure's range along the ties until nothing changes.

    A hidden figure is "at least one" to the reader (zeros are never hidden: they show as 0).
    """
    ranges = Ranges({}, {}, {}, {})
    low, high = ranges.low, ranges.high
    for key, value in values.items():
        if key in hidden:
            low[key], high[key] = 1, INFINITY
        else:
            low[key], high[key] = published_range(value)
        ranges.low_source[key] = ranges.high_source[key] = ("own", None)
    for _round in range(_PROPAGATION_ROUNDS):
        changed = False
        for relation in relations:
            changed |= _tighten(ranges, relation)
        if not changed:
            break
    return ranges


def _tighten(ranges: Ranges, relation: Relation) -> bool:
    """One pass of a tie over the ranges; whether any bound moved."""
    low, high = ranges.low, ranges.high
    total, parts = relation.total, relation.parts
    parts_low = sum(low[part] for part in parts)
    parts_high = sum(high[part] for part in parts)
    # (total bound, part bound) each tie gives: the total from above or below, each part from
    # the other side through the total.
    changed = False
    lower_total = {
        "sum": parts_low,
        "at_most": -INFINITY,
        "share": math.ceil(parts_low / relation.factor),
    }[relation.kind]
    upper_total = parts_high if relation.kind in ("sum", "at_most") else INFINITY
    if lower_total > low[total]:
        low[total], changed = lower_total, True
        ranges.low_source[total] = ("parts", relation)
    if upper_total < high[total]:
        high[total], changed = upper_total, True
        ranges.high_source[total] = ("parts", relation)
    for part in parts:
        if relation.kind in ("sum", "share"):
            bound = relation.factor * high[total] - (parts_low - low[part])
            if bound < high[part]:
                high[part], changed = bound, True
                ranges.high_source[part] = ("total", relation)
        if relation.kind in ("sum", "at_most"):
            bound = low[total] - (parts_high - high[part])
            if bound > low[part]:
                low[part], changed = bound, True
                ranges.low_source[part] = ("total", relation)
    return changed


def _culprit(
    key: Key, ranges: Ranges, hidden: set[Key], values: Mapping[Key, int], seen: set[Key]
) -> Key | None:
    """A shown figure whose hiding undoes the pin on ``key``.

    Hiding a figure widens its range to "at least one", and so every bound derived from it.
    Totals go first (a hidden total costs the reader one figure, not several rows): the total
    that bounds ``key``, then ``key`` itself if its own range is one of the two bounds, then
    the smallest shown part of the parts that bound it (it tells least), looking further along
    the ties where those are hidden already.
    """
    if key in seen:
        return None
    seen.add(key)
    sources = (ranges.low_source[key], ranges.high_source[key])
    for kind, relation in sources:
        if kind == "total" and relation is not None and relation.total not in hidden:
            return relation.total
    if key not in hidden and any(kind == "own" for kind, _relation in sources):
        return key
    for kind, relation in sources:
        if relation is None:
            continue
        if kind == "total":
            found = _culprit(relation.total, ranges, hidden, values, seen)
            if found is not None:
                return found
            continue
        shown = [part for part in relation.parts if part not in hidden and values[part]]
        if shown:
            return min(shown, key=lambda part: (published_range(values[part]), repr(part)))
        for part in relation.parts:
            if values[part]:
                found = _culprit(part, ranges, hidden, values, seen)
                if found is not None:
                    return found
    return None


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
