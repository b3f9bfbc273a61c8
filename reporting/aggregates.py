"""Report aggregates, computed in the database.

Story cells count verified (or selected) stories per month, country, region, programme, focus
area, partner, teller and significance, and per change type or target group (see ``Split``).
Activity cells count held activities and their participants per quarter, programme, plan,
partner and kind. Cells are
always recomputed from their sources (``INSERT … SELECT … GROUP BY``), never incremented, so a
refresh that runs twice, or after a crash, gives the same table.

The outbox also names the results framework's indicators whose kept sums of approved figures
are stale; those are recomputed by ``results.kept``, in the same batch.

Two paths share the same SQL: ``refresh`` recomputes the cells of a few partners (fed by the
outbox that every change writes in its own transaction), ``rebuild_all`` recomputes everything
in one transaction, so readers see either the old tables or the new ones, never a half-built
report. ``rebuild_all`` reports its progress step by step through a callback; the Celery task
turns that into task state for the progress bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from partners.models import Partner
from portal import outbox
from portal.models import Outbox
from programs.models import Activity, ActivityPlan, PlannedActivity, Program, Project
from progress.models import COUNTED_STATUSES, ChangeStory
from reporting.models import (
    ActivityAggregate,
    GroupRollup,
    PartnerRollup,
    ReportState,
    StoryAggregate,
    StoryRollup,
    StoryStatusCount,
    StoryTypeTotal,
    TypeRollup,
)
from results import kept

logger = logging.getLogger(__name__)

OUTBOX_BATCH = 500


def _truncate_sql(column: str, unit: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('{unit}', {column}) AS date)"
    if unit == "month":
        return f"date({column}, 'start of month')"
    # SQLite has no quarter: step back from the month's first day to the quarter's.
    return (
        f"date({column}, 'start of month', "
        f"'-' || ((CAST(strftime('%m', {column}) AS integer) - 1) % 3) || ' months')"
    )


def _partner_filter(column: str, partner_ids: list[int] | None) -> tuple[str, list[Any]]:
    """``column IN (…)`` for these partners, or nothing for all of them (``None``)."""
    if partner_ids is None:
        return "", []
    return f"{column} IN ({', '.join(['%s'] * len(partner_ids)) or 'NULL'})", list(partner_ids)


class Split:
    """The three kinds of story cell; each counts a story once within its kind.

    ``STORY`` cells (no type, no group) count each story once: stories per month, country,
    programme, partner. ``TYPE`` cells count it once per change type its teller chose, ``GROUP``
    cells once per target group it names. Sum cells of one kind, never across kinds.
    """

    STORY = "story"
    TYPE = "type"
    GROUP = "group"


SPLITS = (Split.STORY, Split.TYPE, Split.GROUP)


STORY_COLUMNS = (
    "month, country, region, program_id, focus_area, partner_id, change_type_id, "
    "target_group_id, submitter_role, significance, quotable, story_count, significance_sum"
)
ACTIVITY_COLUMNS = (
    "quarter, program_id, focus_area, plan_id, partner_id, country, region, kind, "
    "activity_count, participants_women, participants_men, participants_other, "
    "participants_youth"
)
STATUS_COLUMNS = "partner_id, project_id, status, quotable, story_count"


def _story_insert_sql(partner_sql: str, split: str) -> str:
    table = StoryAggregate._meta.db_table
    return f"INSERT INTO {table} ({STORY_COLUMNS}) {_story_select_sql(partner_sql, split)}"


def _story_select_sql(partner_sql: str, split: str) -> str:
    """One SELECT … GROUP BY over the counted stories, for one kind of cell."""
    month = _truncate_sql("s.event_date", "month")
    story = ChangeStory._meta.db_table
    through = {
        Split.TYPE: (ChangeStory.change_types.through._meta.db_table, "changetype_id"),
        Split.GROUP: (ChangeStory.target_groups.through._meta.db_table, "targetgroup_id"),
    }
    partner_and = f"AND {partner_sql}" if partner_sql else ""
    type_column = group_column = "NULL"
    join = group_by = ""
    if split in through:
        table, column = through[split]
        join = f"JOIN {table} x ON x.changestory_id = s.id"
        group_by = f", x.{column}"
        if split == Split.TYPE:
            type_column = f"x.{column}"
        else:
            group_column = f"x.{column}"
    return f"""
        SELECT {month}, s.country, p.region, s.program_id, COALESCE(pr.focus_area, ''),
               s.partner_id, {type_column}, {group_column}, s.submitter_role,
               s.significance, s.consent_quote_internal, COUNT(*), SUM(s.significance)
        FROM {story} s
        JOIN {Partner._meta.db_table} p ON p.id = s.partner_id
        LEFT JOIN {Program._meta.db_table} pr ON pr.id = s.program_id
        {join}
        WHERE s.status IN (%s, %s) AND s.event_date IS NOT NULL
              AND s.significance IS NOT NULL {partner_and}
        GROUP BY {month}, s.country, p.region, s.program_id, pr.focus_area, s.partner_id,
                 s.submitter_role, s.significance, s.consent_quote_internal{group_by}
    """  # noqa: S608 - table names come from the models, values are parameters


def _activity_insert_sql(partner_sql: str) -> str:
    table = ActivityAggregate._meta.db_table
    return f"INSERT INTO {table} ({ACTIVITY_COLUMNS}) {_activity_select_sql(partner_sql)}"


def _activity_select_sql(partner_sql: str) -> str:
    """One SELECT … GROUP BY over the held activities.

    An activity belongs to its own partner, else to its project's; to its project's programme,
    else to its plan's. ``partner_sql`` limits the statement to some partners; the activities
    that have none (few: Swedish-side work) are recomputed with any of them.
    """
    quarter = _truncate_sql("a.date", "quarter")
    partner = "COALESCE(a.partner_id, pj.partner_id)"
    program = "COALESCE(pj.program_id, pl.program_id)"
    scope = f"WHERE {partner_sql} OR {partner} IS NULL" if partner_sql else ""
    return f"""
        SELECT {quarter}, {program}, COALESCE(pr.focus_area, ''), pa.plan_id, {partner},
               COALESCE(p.country, ''), COALESCE(p.region, ''), a.kind, COUNT(*),
               SUM(a.participants_women), SUM(a.participants_men), SUM(a.participants_other),
               SUM(a.participants_youth)
        FROM {Activity._meta.db_table} a
        LEFT JOIN {Project._meta.db_table} pj ON pj.id = a.project_id
        LEFT JOIN {PlannedActivity._meta.db_table} pa ON pa.id = a.planned_id
        LEFT JOIN {ActivityPlan._meta.db_table} pl ON pl.id = pa.plan_id
        LEFT JOIN {Program._meta.db_table} pr ON pr.id = {program}
        LEFT JOIN {Partner._meta.db_table} p ON p.id = {partner}
        {scope}
        GROUP BY {quarter}, {program}, pr.focus_area, pa.plan_id, {partner}, p.country,
                 p.region, a.kind
    """  # noqa: S608 - table names come from the models, values are parameters


def _status_insert_sql(partner_sql: str) -> str:
    table = StoryStatusCount._meta.db_table
    return f"INSERT INTO {table} ({STATUS_COLUMNS}) {_status_select_sql(partner_sql)}"


def _status_select_sql(partner_sql: str) -> str:
    """Stories of every status (drafts included) per partner, project and consent to quote."""
    scope = f"WHERE {partner_sql}" if partner_sql else ""
    return f"""
        SELECT s.partner_id, s.project_id, s.status, s.consent_quote_internal, COUNT(*)
        FROM {ChangeStory._meta.db_table} s
        {scope}
        GROUP BY s.partner_id, s.project_id, s.status, s.consent_quote_internal
    """  # noqa: S608 - table names come from the models, values are parameters


def cell_queries() -> list[tuple[str, str, list[Any]]]:
    """Each statement of a full rebuild as the plain ``SELECT … GROUP BY`` that computes its
    rows without keeping them: (label, SQL, parameters). ``bench/load.py`` times the rebuild
    against them."""
    return [
        *(
            (f"story cells ({split})", _story_select_sql("", split), list(COUNTED_STATUSES))
            for split in SPLITS
        ),
        ("status counts", _status_select_sql(""), []),
        ("activity cells", _activity_select_sql(""), []),
    ]


def _mark_refreshed(**fields: object) -> None:
    ReportState.objects.update_or_create(pk=1, defaults={"refreshed_at": timezone.now(), **fields})


def _no_step() -> None:
    """The default: a refresh reports no progress."""


# The story cells to recompute: partner id → its stale months (first days), or ``None`` for all of
# its months; the whole mapping ``None`` for every partner.
StoryScope = dict[int, set[date] | None]


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _story_scope(scope: StoryScope) -> tuple[Q, str, list[Any]]:
    """The cells of ``scope`` (to delete them) and the stories behind them (an SQL condition).

    A month is a range of event dates, so the index on (partner, event date) finds a month's
    stories of the largest partner without reading its others.
    """
    whole = sorted(partner for partner, months in scope.items() if months is None)
    cells = Q(partner_id__in=whole)
    conditions: list[str] = []
    params: list[Any] = []
    if whole:
        conditions.append(_partner_filter("s.partner_id", whole)[0])
        params.extend(whole)
    for partner, months in sorted(scope.items()):
        if months is None:
            continue
        cells |= Q(partner_id=partner, month__in=sorted(months))
        for month in sorted(months):
            conditions.append("(s.partner_id = %s AND s.event_date >= %s AND s.event_date < %s)")
            params.extend([partner, month, _next_month(month)])
    return cells, f"({' OR '.join(conditions)})", params


# Advisory locks (PostgreSQL) that keep two refreshes of the same figures apart: each statement
# deletes and re-inserts its cells, so two transactions doing it at once would both insert, and
# count twice. A refresh holds a shared lock on its kind of figure and an exclusive one per
# partner; a refresh of everything (the rebuild) holds the kind exclusively. Released at commit.
STORY_LOCKS, ACTIVITY_LOCKS, ROLLUP_LOCKS = 7301, 7302, 7303


def _lock(kind: int, partner_ids: Sequence[int] | None) -> None:
    """Advisory locks for the kind, and for these keys (partners, or months as numbers)."""
    if connection.vendor != "postgresql":
        return  # SQLite allows one writer at a time anyway
    with connection.cursor() as cursor:
        if partner_ids is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [kind])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [kind])
        # In ascending order, so two refreshes never wait for each other in a circle.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, CAST(p %% 2147483647 AS integer)) "
            "FROM unnest(%s) AS p",
            [kind, sorted(partner_ids)],
        )


def recompute_stories(
    scope: StoryScope | None,
    step: Callable[[], None] = _no_step,
    *,
    recount: Iterable[int] = (),
) -> None:
    """Recompute the story cells of ``scope`` and its partners' status counts (``None``: all),
    and the status counts alone of the partners in ``recount``.

    Inside the caller's transaction; ``step`` is called after each statement. The full rebuild
    and the outbox's refresh run these same statements, with and without a scope.
    """
    partners = None if scope is None else sorted(set(scope) | set(recount))
    # One call for every partner, so that the locks are always taken in ascending order.
    _lock(STORY_LOCKS, partners)
    counts = StoryStatusCount.objects.all()
    status_sql = ""
    status_params: list[Any] = []
    if partners is not None:
        counts = counts.filter(partner_id__in=partners)
        status_sql, status_params = _partner_filter("s.partner_id", partners)
    if scope is None or scope:
        _recompute_cells(scope, step)
    counts.delete()
    with connection.cursor() as cursor:
        cursor.execute(_status_insert_sql(status_sql), status_params)
    step()


def _recompute_cells(scope: StoryScope | None, step: Callable[[], None]) -> None:
    """The story cells of ``scope`` (``None``: all), with the totals and roll-ups they feed."""
    cells = StoryAggregate.objects.all()
    story_sql = ""
    story_params: list[Any] = []
    if scope is not None:
        condition, story_sql, story_params = _story_scope(scope)
        cells = cells.filter(condition)
    typed = cells.filter(change_type__isnull=False)
    replaced = _type_sums(typed) if scope is not None else {}
    cells.delete()
    with connection.cursor() as cursor:
        for split in SPLITS:
            cursor.execute(_story_insert_sql(story_sql, split), [*COUNTED_STATUSES, *story_params])
            step()
    if scope is None:
        _sum_type_totals()
    else:
        _add_to_type_totals(replaced, _type_sums(typed))
    recompute_rollups(_scope_months(scope))


# --- Roll-ups ---------------------------------------------------------------------------------
# The report's figures for staff, summed over the partners (``reporting.models.Rollup``): the
# cells of each kind grouped by fewer columns. A month's rows are recomputed from that month's
# cells whenever a refresh has touched it; the months are locked, as the partners are for the
# cells, so that two refreshes of one month never both insert.

_PARTNER_JOIN = f"JOIN {Partner._meta.db_table} p ON p.id = a.partner_id"
_STORY_KIND = "a.change_type_id IS NULL AND a.target_group_id IS NULL"
# (model, its columns, the cells' expressions for them, the counted ones, the kind, a join)
ROLLUPS: tuple[tuple[type[Any], tuple[str, ...], tuple[str, ...], str, str, str], ...] = (
    (
        StoryRollup,
        ("country", "region", "confidential", "submitter_role"),
        ("a.country", "a.region", "p.is_confidential", "a.submitter_role"),
        "story_count",
        _STORY_KIND,
        _PARTNER_JOIN,
    ),
    (
        TypeRollup,
        ("change_type_id", "significance"),
        ("a.change_type_id", "a.significance"),
        "story_count, significance_sum",
        "a.change_type_id IS NOT NULL",
        "",
    ),
    (
        GroupRollup,
        ("target_group_id",),
        ("a.target_group_id",),
        "story_count",
        "a.target_group_id IS NOT NULL",
        "",
    ),
    (PartnerRollup, ("partner_id",), ("a.partner_id",), "story_count", _STORY_KIND, ""),
)


def _scope_months(scope: StoryScope | None) -> list[date] | None:
    """The months a refresh touched; None when it touched every month of some partner."""
    if scope is None or any(months is None for months in scope.values()):
        return None
    return sorted({month for months in scope.values() if months for month in months})


def rollup_sql(
    model: type[Any],
    columns: tuple[str, ...],
    sources: tuple[str, ...],
    counted: str,
    kind: str,
    join: str,
    month_sql: str,
) -> str:
    """The roll-up's rows from the cells, as one INSERT … SELECT … GROUP BY."""
    sums = ", ".join(f"SUM(a.{column.strip()})" for column in counted.split(","))
    keys = ", ".join(["a.month", "a.program_id", "a.focus_area", *sources])
    where = f"{kind} AND {month_sql}" if month_sql else kind
    return f"""
        INSERT INTO {model._meta.db_table}
            (month, program_id, focus_area, {", ".join(columns)}, {counted})
        SELECT {keys}, {sums}
        FROM {StoryAggregate._meta.db_table} a {join}
        WHERE {where}
        GROUP BY {keys}
    """  # noqa: S608 - table and column names come from the models and this module


def recompute_rollups(months: list[date] | None) -> None:
    """Recompute the roll-ups of these months from their cells (``None``: every month)."""
    if months is not None and not months:
        return
    _lock(ROLLUP_LOCKS, None if months is None else [m.year * 12 + m.month for m in months])
    month_sql, params = "", []
    if months is not None:
        month_sql = f"a.month IN ({', '.join(['%s'] * len(months))})"
        params = list(months)
    with connection.cursor() as cursor:
        for model, columns, sources, counted, kind, join in ROLLUPS:
            rows = model.objects.all()
            if months is not None:
                rows = rows.filter(month__in=months)
            rows.delete()
            cursor.execute(
                rollup_sql(model, columns, sources, counted, kind, join, month_sql), params
            )


TypeSums = dict[int, tuple[int, int]]  # change type → (stories, sum of significance)


def _type_sums(cells: QuerySet[StoryAggregate]) -> TypeSums:
    return {
        row["change_type"]: (row["n"], row["s"])
        for row in cells.values("change_type")
        .annotate(n=Sum("story_count"), s=Sum("significance_sum"))
        .order_by()
    }


def _sum_type_totals() -> None:
    """Every change type's total from its cells (the rebuild)."""
    StoryTypeTotal.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {StoryTypeTotal._meta.db_table}
                (change_type_id, story_count, significance_sum)
            SELECT change_type_id, SUM(story_count), SUM(significance_sum)
            FROM {StoryAggregate._meta.db_table}
            WHERE change_type_id IS NOT NULL
            GROUP BY change_type_id
            """  # noqa: S608 - table names come from the models
        )


def _add_to_type_totals(replaced: TypeSums, written: TypeSums) -> None:
    """Add to each type's total the difference between the cells written and those replaced.

    Under the partner locks of the refresh, and each row's own lock while it is updated, two
    refreshes of different partners add their differences one after the other.
    """
    table = StoryTypeTotal._meta.db_table
    with connection.cursor() as cursor:
        for change_type in sorted(replaced.keys() | written.keys()):
            old, new = replaced.get(change_type, (0, 0)), written.get(change_type, (0, 0))
            stories, significance = new[0] - old[0], new[1] - old[1]
            if stories or significance:
                cursor.execute(
                    f"""
                    INSERT INTO {table} (change_type_id, story_count, significance_sum)
                    VALUES (%s, %s, %s)
                    ON CONFLICT (change_type_id) DO UPDATE SET
                        story_count = {table}.story_count + excluded.story_count,
                        significance_sum = {table}.significance_sum + excluded.significance_sum
                    """,  # noqa: S608 - table names come from the models, values are parameters
                    [change_type, stories, significance],
                )


def recompute_activities(partner_ids: list[int] | None) -> None:
    """Recompute the activity cells of these partners, or of all (``None``).

    The activities without a partner are recomputed with any partner's, so an activity refresh
    holds its kind of figure exclusively.
    """
    _lock(ACTIVITY_LOCKS, None)
    cells = ActivityAggregate.objects.all()
    if partner_ids is not None:
        cells = cells.filter(Q(partner_id__in=partner_ids) | Q(partner__isnull=True))
    partner_sql, params = _partner_filter("COALESCE(a.partner_id, pj.partner_id)", partner_ids)
    cells.delete()
    with connection.cursor() as cursor:
        cursor.execute(_activity_insert_sql(partner_sql), params)


@transaction.atomic
def refresh_partners(partner_ids: Iterable[int]) -> None:
    """Recompute every story and activity cell of these partners."""
    ids = sorted(set(partner_ids))
    recompute_stories(dict.fromkeys(ids))
    recompute_activities(ids)


Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    """The default callback: a rebuild from the command line reports only its result."""


@transaction.atomic
def rebuild_all(progress: Progress = _no_progress) -> int:
    """Recompute every table in one transaction; returns the number of report cells.

    ``progress(done, total)`` is called after each step (each kind of story cell, the status
    counts, the activities): the transaction is not visible to anyone until it commits, so the
    callback is how a caller learns how far it has come. Each step is one statement over all
    rows: slicing the stories by year for finer progress made the rebuild twice as slow
    (a scan of every story per slice).
    """
    # Whatever the outbox holds now is covered by this rebuild; later rows stay for the sweep.
    last_outbox_id = Outbox.objects.order_by("-id").values_list("id", flat=True).first()
    total = len(SPLITS) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    progress(0, total)
    recompute_stories(None, step)
    recompute_activities(None)
    kept.rebuild()
    if last_outbox_id is not None:
        Outbox.objects.filter(id__lte=last_outbox_id).delete()
    _mark_refreshed(rebuilt_at=timezone.now())
    cells = StoryAggregate.objects.count() + ActivityAggregate.objects.count()
    progress(total, total)
    logger.info("aggregates.rebuilt cells=%s", cells)
    return cells


OutboxRow = tuple[int, str, int | None, date | None]


def vacuum_kept_tables() -> None:
    """After a rebuild has committed: it deleted every old row, and until autovacuum comes the
    pages' scans read those dead rows too. PostgreSQL reclaims them now and refreshes the
    planner's statistics. Only outside a transaction, which VACUUM refuses; elsewhere it does
    nothing."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = (StoryAggregate, StoryStatusCount, StoryTypeTotal, ActivityAggregate)
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {names}")


def _stale_stories(rows: Sequence[OutboxRow]) -> StoryScope | None:
    """The story cells a batch names: each partner's months, all of them, or everyone's (a row
    without a partner, of either story subject)."""
    scope: StoryScope = {}
    for _id, subject, partner, month in rows:
        if subject not in (outbox.STORIES, outbox.STORY_COUNTS):
            continue
        if partner is None:
            return None
        if subject == outbox.STORY_COUNTS:
            continue
        if month is None:
            scope[partner] = None
        else:
            months = scope.setdefault(partner, set())
            if months is not None:
                months.add(month)
    return scope


def _refresh_batch(rows: Sequence[OutboxRow]) -> None:
    """Recompute what one batch of outbox rows names; a row without a partner means all."""
    stories = _stale_stories(rows)
    recount = {
        partner
        for _id, subject, partner, _month in rows
        if subject == outbox.STORY_COUNTS and partner is not None
    }
    if stories is None or stories or recount:
        recompute_stories(stories, recount=recount)
    partners = {partner for _id, subject, partner, _month in rows if subject == outbox.ACTIVITIES}
    if partners:
        recompute_activities(None if None in partners else sorted(p for p in partners if p))
    indicators = {key for _id, subject, key, _month in rows if subject == outbox.RESULTS}
    if indicators:
        kept.recompute(None if None in indicators else sorted(k for k in indicators if k))


def drain_outbox() -> int:
    """Refresh the cells the outbox names, a batch per transaction; returns rows drained."""
    drained = 0
    while True:
        with transaction.atomic():
            rows = list(
                Outbox.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", "subject", "key", "month")[:OUTBOX_BATCH]
            )
            if not rows:
                break
            _refresh_batch(rows)
            Outbox.objects.filter(id__in=[row[0] for row in rows]).delete()
            _mark_refreshed()
            drained += len(rows)
    if drained:
        logger.info("aggregates.drained rows=%s", drained)
    return drained
