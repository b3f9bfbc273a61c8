"""Kept checks of the figures: which (period, project) pairs have parts that do not add up to
their total (``results.models.PartsMismatch``).

The rule is one grouped query (``disagreeing``): per (period, project), the total row against
the sum of the other rows, keeping the pairs that differ. Run over a programme's every actual on
each request, it held a programme page of 50 indicators by 10 periods by 30 projects at 109 ms;
kept, the page takes 85 ms (bench/pages.py --results-only), so the result is kept:
each write of an actual (``results.services``, ``results.reports.services``) refreshes its own
pair in the same transaction, and bulk loads (the demo, the bench) rebuild the table. Deleting a
period, an indicator or a project deletes its rows by cascade.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from results.models import TOTAL, Actual, PartsMismatch

ZERO = Decimal(0)


def disagreeing(actuals: QuerySet[Actual]) -> QuerySet[Any, dict[str, Any]]:
    """The (period, project) pairs of these actuals whose parts do not add up to their total,
    with both sides summed: one grouped query. The same rule as
    ``results.rollup.disagreements``: values compared, or numerators and denominators."""
    part = ~Q(combination=TOTAL)
    total = Q(combination=TOTAL)
    rows = (
        actuals.exclude(period__indicator__measure="qualitative")
        .order_by()
        .values("period_id", "project_id")
        .annotate(
            parts=Count("pk", filter=part),
            total_value=Sum("value", filter=total, default=ZERO),
            parts_value=Sum("value", filter=part, default=ZERO),
            total_numerator=Sum("numerator", filter=total, default=ZERO),
            parts_numerator=Sum("numerator", filter=part, default=ZERO),
            total_denominator=Sum("denominator", filter=total, default=ZERO),
            parts_denominator=Sum("denominator", filter=part, default=ZERO),
        )
        .filter(parts__gt=0)
        .exclude(
            total_value=F("parts_value"),
            total_numerator=F("parts_numerator"),
            total_denominator=F("parts_denominator"),
        )
    )
    return rows  # type: ignore[return-value]


def _rows(actuals: QuerySet[Actual]) -> list[PartsMismatch]:
    fields = [
        f"{side}_{name}"
        for side in ("total", "parts")
        for name in ("value", "numerator", "denominator")
    ]
    return [
        PartsMismatch(
            period_id=row["period_id"],
            project_id=row["project_id"],
            **{name: row[name] for name in fields},
        )
        for row in disagreeing(actuals)
    ]


def refresh(pairs: Iterable[tuple[int | None, int | None]]) -> None:
    """Recompute the kept rows of these (period id, project id) pairs: two or three queries."""
    wanted = {(period, project) for period, project in pairs if period and project}
    if not wanted:
        return
    which = reduce(or_, (Q(period_id=period, project_id=project) for period, project in wanted))
    PartsMismatch.objects.filter(which).delete()
    PartsMismatch.objects.bulk_create(_rows(Actual.objects.filter(which)))


def rebuild() -> int:
    """Every kept row from every actual, after writes that bypassed the services."""
    PartsMismatch.objects.all().delete()
    return len(PartsMismatch.objects.bulk_create(_rows(Actual.objects.all()), batch_size=1000))
