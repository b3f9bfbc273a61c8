"""The calendar of a person's units and networks: activities planned for a day and activities
held, on a page and as an iCalendar feed behind a secret address (issue #14, item 2).

The feed leaves every confidential partner's activity out, whoever subscribes: a calendar
service (Google's, Microsoft's) keeps a copy of what it fetches, and such a copy is outside the
portal's rules. The page shows what the viewer may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.utils import timezone
from icalendar import Calendar, Event

from programs.models import Activity, PlannedActivity
from programs.selectors import (
    calendar_activities,
    confidential_activity,
    visible_planned_activities,
)

if TYPE_CHECKING:
    from portal.access import AnyUser

# The page: three months back, six ahead. The feed: a year each way.
PAGE_PAST, PAGE_AHEAD = dt.timedelta(days=92), dt.timedelta(days=183)
FEED_SPAN = dt.timedelta(days=366)


@dataclass(frozen=True)
class Entry:
    uid: str
    day: dt.date
    title: str
    kind: str
    unit: str
    held: bool
    plan_id: int | None


def _unit(activity: Activity | PlannedActivity) -> str:
    if isinstance(activity, PlannedActivity):
        plan = activity.plan
        unit = plan.member_organisation or plan.partner
    else:
        unit = activity.member_organisation or activity.partner
    return unit.name if unit is not None else ""


def entries(
    user: AnyUser,
    *,
    start: dt.date,
    end: dt.date,
    network: int | None = None,
    unit: int | None = None,
    feed: bool = False,
) -> list[Entry]:
    """Dated planned items not yet held and activities held between ``start`` and ``end``, by
    day; of one network's or one member unit's when asked. ``feed``: for the iCalendar feed,
    never a confidential partner's."""
    held = calendar_activities(user).filter(date__range=(start, end))
    planned = visible_planned_activities(user).filter(date__range=(start, end))
    # A planned item already held on its day shows once, as held.
    planned = planned.exclude(activities__date=F("date"))
    if network is not None:
        held = held.filter(planned__network_id=network)
        planned = planned.filter(network_id=network)
    if unit is not None:
        held = held.filter(
            Q(member_organisation_id=unit) | Q(planned__plan__member_organisation_id=unit)
        )
        planned = planned.filter(plan__member_organisation_id=unit)
    if feed:
        held = held.exclude(confidential_activity())
        planned = planned.exclude(plan__partner__is_confidential=True).exclude(
            project__partner__is_confidential=True
        )
    rows = [
        Entry(
            f"activity-{activity.pk}",
            activity.date,
            activity.title,
            activity.get_kind_display(),
            _unit(activity),
            True,
            activity.planned.plan_id if activity.planned is not None else None,
        )
        for activity in held.select_related("member_organisation", "partner", "planned").order_by(
            "date", "pk"
        )
    ]
    rows += [
        Entry(
            f"planned-{item.pk}",
            item.date,  # type: ignore[arg-type]  # filtered on a date above
            item.title,
            item.get_kind_display(),
            _unit(item),
            False,
            item.plan_id,
        )
        for item in planned.select_related("plan__member_organisation", "plan__partner").order_by(
            "date", "pk"
        )
    ]
    return sorted(rows, key=lambda entry: (entry.day, not entry.held, entry.title))


def page_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today - PAGE_PAST, today + PAGE_AHEAD


def feed_bytes(user: AnyUser, *, name: str, host: str) -> bytes:
    """The iCalendar file of the person's calendar: all-day events, a year each way."""
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Solidarity portal//calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for entry in entries(user, start=today - FEED_SPAN, end=today + FEED_SPAN, feed=True):
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.title)
        event.add("description", " · ".join(part for part in (entry.kind, entry.unit) if part))
        calendar.add_component(event)
    return calendar.to_ical()
