"""The outbox: how a change records, in its own transaction, that kept figures are stale.

The app that keeps the figures drains it (``reporting.aggregates.drain_outbox``) in a task asked
for by name after commit (``portal.queue``), and a periodic sweep drains whatever a broker outage
left; so the apps whose records the figures copy mark them stale without importing the app that
keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from portal import queue
from portal.models import Outbox

REFRESH_TASK = "reporting.refresh_aggregates"
# What may be stale: the story figures or the activity figures of a partner (or of everyone).
STORIES = "stories"
ACTIVITIES = "activities"
SUBJECTS = (STORIES, ACTIVITIES)
# Only a partner's counts of stories by status, a part of STORIES: a change no report cell sees
# (a story that was and stays outside the counted statuses, such as a draft submitted).
STORY_COUNTS = "story_counts"
# The results framework's kept sums of approved figures, keyed by indicator (``results.kept``).
RESULTS = "results"


def _request_refresh() -> None:
    queue.enqueue_by_name(REFRESH_TASK)


def month_of(day: date) -> date:
    return day.replace(day=1)


def mark_stale(
    *, subject: str, keys: Iterable[int | None], months: Iterable[date] | None = None
) -> None:
    """Record, in the caller's transaction, that these keys' figures of ``subject`` are stale.

    ``None`` among the keys stands for every key; ``months`` (any day of each) narrows the rows
    to those months of the keys' figures, and without it every month is stale. The refresh is
    requested once the transaction commits; if the broker cannot take it, the sweep will.
    """
    wanted = set(keys)
    targets: list[int | None] = [None]
    if None not in wanted:
        targets = [*sorted(k for k in wanted if k is not None)]
    stale_months: list[date | None] = [None]
    if months is not None and None not in wanted:
        stale_months = [*sorted({month_of(day) for day in months})]
    rows = [
        Outbox(subject=subject, key=key, month=month) for key in targets for month in stale_months
    ]
    if rows:
        Outbox.objects.bulk_create(rows)
        transaction.on_commit(_request_refresh)


def refresh_pending() -> bool:
    return Outbox.objects.exists()
