"""Kept sums of the approved actuals (``results.models.ActualSum``), refreshed through the outbox.

A change that makes an approved figure count or stop counting (a report approved, returned after
approval or unlocked; an approved figure corrected) records the indicators it touches in the
outbox (subject ``portal.outbox.RESULTS``, keyed by indicator), in its own transaction; the
worker that drains the outbox for the story figures (``reporting.aggregates``) calls
``recompute`` for them. A change that moves figures between confidential and not (a partner's
confidentiality, a project moved to another partner or deleted) marks every indicator: such
changes are rare and a full recompute is one grouped statement.

The rows are the same grouped sum the pages used to compute per request (``GROUP BY period,
combination``), split by whether the project's partner is confidential, so that one table
answers both those who may identify every partner (both halves) and those who may not (the
totals of both, the parts of the others: ``results.selectors.actual_sums``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from partners.models import Partner
from portal import outbox
from programs.models import Project
from results.models import Actual, ActualSum, Period


def mark_stale(indicator_ids: Iterable[int | None]) -> None:
    """Record in the caller's transaction that these indicators' sums are stale (``None``:
    every indicator's)."""
    outbox.mark_stale(subject=outbox.RESULTS, keys=indicator_ids)


def _insert_sql(scope: str) -> str:
    return f"""
        INSERT INTO {ActualSum._meta.db_table}
            (period_id, combination, confidential, value, numerator, denominator)
        SELECT a.period_id, a.combination, pa.is_confidential,
               SUM(a.value), SUM(a.numerator), SUM(a.denominator)
        FROM {Actual._meta.db_table} a
        JOIN {Period._meta.db_table} pe ON pe.id = a.period_id
        JOIN {Project._meta.db_table} pj ON pj.id = a.project_id
        JOIN {Partner._meta.db_table} pa ON pa.id = pj.partner_id
        WHERE a.status = %s {scope}
        GROUP BY a.period_id, a.combination, pa.is_confidential
    """  # noqa: S608 - table names come from the models, values are parameters


@transaction.atomic
def recompute(indicator_ids: list[int] | None) -> int:
    """Recompute the kept sums of these indicators, or of every one (``None``): one delete and
    one grouped insert. Returns the number of rows written."""
    rows = ActualSum.objects.all()
    scope, params = "", []
    if indicator_ids is not None:
        if not indicator_ids:
            return 0
        rows = rows.filter(period__indicator_id__in=indicator_ids)
        scope = f"AND pe.indicator_id IN ({', '.join(['%s'] * len(indicator_ids))})"
        params = list(indicator_ids)
    rows.delete()
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(scope), [Actual.Status.APPROVED, *params])
        return max(cursor.rowcount, 0)


def rebuild() -> int:
    """Every kept sum from every approved actual, after writes that bypassed the services."""
    return recompute(None)
