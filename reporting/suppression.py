"""The arithmetic of disclosure control: published ranges, the ties between figures, and which
figures to hide so that no tie pins a count (the rule is explained in ``reporting.disclosure``).
Plain Python over named figures: it knows nothing of stories or pages."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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


def protect(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    exact: frozenset[Key] = frozenset(),
) -> frozenset[Key]:
    """The figures to hide so that no tie pins any non-zero count to one value.

    ``exact`` names figures the reader knows exactly from elsewhere (a member's dashboard says
    how many partners its networks have): they bound the others through the ties, are never
    hidden, and being known already, are not themselves a disclosure.

    One figure at a time, the one that undoes the most pins (one hidden total often frees all
    its rows), until nothing is pinned. Each round hides one more figure, so it ends; a page
    never fails over it.
    """
    hidden: set[Key] = set()
    while True:
        ranges = propagate(values, relations, hidden, exact)
        pinned = [key for key in ranges.pinned(values) if key not in exact]
        votes = Counter(
            culprit
            for key in pinned
            if (culprit := _culprit(key, ranges, hidden | exact, values, set())) is not None
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


def propagate(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    hidden: set[Key],
    exact: frozenset[Key] = frozenset(),
) -> Ranges:
    """Tighten every figure's range along the ties until nothing changes.

    A hidden figure is "at least one" to the reader (zeros are never hidden: they show as 0);
    an exact one is its value.
    """
    ranges = Ranges({}, {}, {}, {})
    low, high = ranges.low, ranges.high
    for key, value in values.items():
        if key in exact:
            low[key] = high[key] = value
        elif key in hidden:
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
