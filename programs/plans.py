"""What the plan pages show: each plan's items followed up one by one (``programs.followup``),
read in a fixed number of queries whatever the number of plans and items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from portal.access import as_user
from programs import followup
from programs.models import Activity, ActivityPlan, PlannedActivity
from programs.selectors import (
    confidential_activity,
    unplanned_activities,
    visible_activity_plans,
    visible_planned_activities,
)

if TYPE_CHECKING:
    from portal.access import AnyUser

# What a plan's row shows of it besides its own fields.
UNITS = ("member_organisation", "partner", "program")


@dataclass
class ItemRow:
    item: PlannedActivity
    follow_up: followup.ItemFollowUp
    activities: list[Activity] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: ActivityPlan
    items: list[ItemRow]
    unplanned: list[Activity]
    branch_plans: list[PlanSummary]
    today: dt.date

    @property
    def counts(self) -> dict[str, int]:
        return _counts(row.follow_up for row in self.items)


@dataclass
class PlanSummary:
    plan: ActivityPlan
    counts: dict[str, int]
    items: int


def _counts(rows: Iterable[followup.ItemFollowUp]) -> dict[str, int]:
    counts = dict.fromkeys(followup.Status.values, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def _followed(
    items: list[PlannedActivity], held: dict[int, int], today: dt.date
) -> dict[int, followup.ItemFollowUp]:
    return {
        item.pk: followup.follow_up(
            year=item.plan.year,
            quarter=item.quarter,
            target=item.target_count,
            held=held.get(item.pk, 0),
            today=today,
        )
        for item in items
    }


def _without_confidential(user: AnyUser, activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """A confidential partner's activities only for those who may identify it."""
    viewer = as_user(user)
    if viewer is None or not viewer.sees_confidential:
        return activities.exclude(confidential_activity())
    return activities


def _held(user: AnyUser, items: QuerySet[PlannedActivity]) -> QuerySet[Activity]:
    """The activities held of these items."""
    return _without_confidential(user, Activity.objects.filter(planned__in=items.values("pk")))


def _held_counts(user: AnyUser, items: QuerySet[PlannedActivity]) -> dict[int, int]:
    return dict(
        _held(user, items)
        .values("planned_id")
        .annotate(n=Count("pk"))
        .values_list("planned_id", "n")
        .order_by()
    )


def summaries(
    user: AnyUser, plans: Sequence[ActivityPlan], today: dt.date | None = None
) -> list[PlanSummary]:
    """Each plan with how many of its items are done, on track, behind and missed: two
    queries for any number of plans."""
    today = today or timezone.localdate()
    items_query = visible_planned_activities(user).filter(plan__in=[p.pk for p in plans])
    items = list(items_query.select_related("plan"))
    rows = _followed(items, _held_counts(user, items_query), today)
    by_plan: dict[int, list[followup.ItemFollowUp]] = defaultdict(list)
    for item in items:
        by_plan[item.plan_id].append(rows[item.pk])
    return [
        PlanSummary(plan, _counts(by_plan.get(plan.pk, [])), len(by_plan.get(plan.pk, [])))
        for plan in plans
    ]


def plan_page(user: AnyUser, plan: ActivityPlan, today: dt.date | None = None) -> PlanPage:
    """One plan followed up item by item, with the activities held of each, what its unit held
    that no item asked for, and the plans of its branches filed under it."""
    today = today or timezone.localdate()
    items_query = visible_planned_activities(user).filter(plan=plan)
    items = list(
        items_query.select_related("plan", "network", "project").order_by(
            "quarter", "date", "title"
        )
    )
    by_item: dict[int, list[Activity]] = defaultdict(list)
    for activity in _held(user, items_query).order_by("date", "pk"):
        by_item[activity.planned_id].append(activity)  # type: ignore[index]
    # The activities are read to be listed: their number per item is counted from them.
    rows = _followed(items, {pk: len(held) for pk, held in by_item.items()}, today)
    unplanned = _without_confidential(user, unplanned_activities(plan))
    branches = (
        visible_activity_plans(user).filter(parent=plan).select_related(*UNITS).order_by("title")
    )
    return PlanPage(
        plan,
        [ItemRow(item, rows[item.pk], by_item.get(item.pk, [])) for item in items],
        list(unplanned.order_by("date", "pk")),
        summaries(user, list(branches), today),
        today,
    )


def items_behind(
    user: AnyUser, today: dt.date | None = None, *, limit: int = 20
) -> list[tuple[PlannedActivity, followup.ItemFollowUp]]:
    """This year's planned items the viewer keeps or follows that are behind (for a digest):
    a member's its units', a partner's its own, staff's their own plans (not every unit's)."""
    today = today or timezone.localdate()
    items_query = visible_planned_activities(user).filter(plan__year=today.year)
    viewer = as_user(user)
    if viewer is not None and viewer.is_portal_staff:
        items_query = items_query.filter(
            plan__member_organisation__isnull=True, plan__partner__isnull=True
        )
    items = list(items_query.select_related("plan").order_by("quarter", "date", "title"))
    rows = _followed(items, _held_counts(user, items_query), today)
    return [
        (item, rows[item.pk]) for item in items if rows[item.pk].status == followup.Status.BEHIND
    ][:limit]
