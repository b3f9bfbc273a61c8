"""The story list's count answered from the kept status counts (``progress.counting``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Sum

from progress import counting
from reporting.aggregates import COUNTED_STATUSES
from reporting.selectors import visible_story_counts

# The story list's filters the kept counts hold (per partner, project, status, consent).
KEPT_FILTERS = frozenset({"status", "partner", "counted"})


def count_stories(user: Any, filters: Mapping[str, Any]) -> int | None:
    if not set(filters) <= KEPT_FILTERS:
        return None
    counts = visible_story_counts(user)
    if "status" in filters:
        counts = counts.filter(status=filters["status"])
    if filters.get("counted"):
        counts = counts.filter(status__in=COUNTED_STATUSES)
    if "partner" in filters:
        counts = counts.filter(partner=filters["partner"])
    total: int | None = counts.aggregate(n=Sum("story_count"))["n"]
    return total or 0


def register() -> None:
    counting.register(count_stories)
