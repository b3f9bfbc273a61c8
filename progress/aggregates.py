"""Story aggregates, computed in the database.

Each cell counts verified (or selected) stories and sums their significance per month,
country, region, programme, focus area, partner, change type, target group and teller. Cells
are always recomputed from the stories (``INSERT … SELECT … GROUP BY``), never incremented, so
running a refresh twice, or after a crash, gives the same table.

Two paths share the same SQL: ``refresh_partners`` recomputes the cells of a few partners (fed
by the outbox that story changes write in their own transaction), ``rebuild_all`` recomputes
everything in one transaction, so readers see either the old table or the new one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from partners.models import Partner
from programs.models import Program
from progress.models import AggregateOutbox, ChangeStory, ReportState, StoryAggregate

logger = logging.getLogger(__name__)

COUNTED_STATUSES = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)
OUTBOX_BATCH = 500


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(date_trunc('month', s.event_date) AS date)"
    return "date(s.event_date, 'start of month')"


def _insert_select_sql(partner_count: int | None, *, per_group: bool) -> str:
    """One INSERT … SELECT … GROUP BY.

    ``per_group=False`` writes the cells with ``target_group`` NULL: every story once per change
    type, whatever groups it names. ``per_group=True`` writes one cell per named group. Figures
    per change type read the first kind, figures per group the second, and neither counts a
    story twice.
    """
    month = _month_sql()
    story = ChangeStory._meta.db_table
    types = ChangeStory.change_types.through._meta.db_table
    groups = ChangeStory.target_groups.through._meta.db_table
    placeholders = ", ".join(["%s"] * (partner_count or 0))
    partner_filter = "" if partner_count is None else f"AND s.partner_id IN ({placeholders})"
    group_column = "tg.targetgroup_id" if per_group else "NULL"
    group_join = f"JOIN {groups} tg ON tg.changestory_id = s.id" if per_group else ""
    group_by = ", tg.targetgroup_id" if per_group else ""
    return f"""
        INSERT INTO {StoryAggregate._meta.db_table}
            (month, country, region, program_id, focus_area, partner_id, change_type_id,
             target_group_id, submitter_role, story_count, significance_sum)
        SELECT {month}, s.country, p.region, s.program_id, COALESCE(pr.focus_area, ''),
               s.partner_id, ct.changetype_id, {group_column}, s.submitter_role,
               COUNT(*), SUM(s.significance)
        FROM {story} s
        JOIN {Partner._meta.db_table} p ON p.id = s.partner_id
        LEFT JOIN {Program._meta.db_table} pr ON pr.id = s.program_id
        JOIN {types} ct ON ct.changestory_id = s.id
        {group_join}
        WHERE s.status IN (%s, %s) AND s.event_date IS NOT NULL {partner_filter}
        GROUP BY {month}, s.country, p.region, s.program_id, pr.focus_area, s.partner_id,
                 ct.changetype_id, s.submitter_role{group_by}
    """  # noqa: S608 - table names come from the models, values are parameters


def _insert(partner_ids: list[int] | None) -> None:
    params: list[str | int] = [*COUNTED_STATUSES, *(partner_ids or [])]
    count = None if partner_ids is None else len(partner_ids)
    with connection.cursor() as cursor:
        cursor.execute(_insert_select_sql(count, per_group=False), params)
        cursor.execute(_insert_select_sql(count, per_group=True), params)


def _mark_refreshed() -> None:
    ReportState.objects.update_or_create(pk=1, defaults={"refreshed_at": timezone.now()})


@transaction.atomic
def refresh_partners(partner_ids: Iterable[int]) -> None:
    """Recompute every cell of these partners from their stories."""
    ids = sorted(set(partner_ids))
    if not ids:
        return
    StoryAggregate.objects.filter(partner_id__in=ids).delete()
    _insert(ids)


@transaction.atomic
def rebuild_all() -> int:
    """Recompute the whole table in one transaction; returns the number of cells."""
    # Whatever the outbox holds now is covered by this rebuild.
    last_outbox_id = AggregateOutbox.objects.order_by("-id").values_list("id", flat=True).first()
    StoryAggregate.objects.all().delete()
    _insert(None)
    if last_outbox_id is not None:
        AggregateOutbox.objects.filter(id__lte=last_outbox_id).delete()
    _mark_refreshed()
    cells = StoryAggregate.objects.count()
    logger.info("aggregates.rebuilt cells=%s", cells)
    return cells


def drain_outbox() -> int:
    """Refresh the partners the outbox names, a batch per transaction; returns rows drained."""
    drained = 0
    while True:
        with transaction.atomic():
            rows = list(
                AggregateOutbox.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", "partner_id")[:OUTBOX_BATCH]
            )
            if not rows:
                break
            refresh_partners(partner_id for _id, partner_id in rows)
            AggregateOutbox.objects.filter(id__in=[row_id for row_id, _partner in rows]).delete()
            _mark_refreshed()
            drained += len(rows)
    if drained:
        logger.info("aggregates.drained rows=%s", drained)
    return drained


def refresh_pending() -> bool:
    return AggregateOutbox.objects.exists()
