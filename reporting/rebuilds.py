"""A full report rebuild started from the report page, and how far it has come.

The rebuild itself is ``reporting.aggregates.rebuild_all`` (one transaction). While it runs, its
transaction is invisible, so the worker reports progress through Celery's result backend; the
request, its time and its requester are kept in ``ReportState`` so that every staff member sees
the same rebuild, and a second request while one is under way joins it instead of starting
another. With tasks run eagerly (the embedded default) the request completes the rebuild.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from reporting import tasks
from reporting.models import ReportState

logger = logging.getLogger(__name__)

# A step of a rebuild (a slice of years of stories) takes seconds to a minute at a million
# stories; a rebuild that has not moved, or not started, for this long has lost its worker
# (killed with its machine, say). It is shown as failed so that staff can start another; if
# the lost task is redelivered later it simply rebuilds the same figures again.
STALLED_AFTER = dt.timedelta(minutes=10)


class RebuildUnavailable(Exception):
    """The task could not be handed to the broker; nothing was started."""


@dataclass(frozen=True)
class RebuildStatus:
    state: str  # idle | queued | running | done | failed
    done: int = 0
    total: int = 0
    requested_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def under_way(self) -> bool:
        return self.state in {"queued", "running"}

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "requested_at": self.requested_at.isoformat() if self.requested_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def _task_progress(task_id: str, requested: dt.datetime) -> tuple[str, int, int]:
    """The task's state from the result backend; ``queued`` when there is none to ask."""
    if not settings.CELERY_RESULT_BACKEND:
        return _progress_of("PENDING", None, requested)
    try:
        result = tasks.rebuild_aggregates.AsyncResult(task_id)
        state, info = result.state, result.info
    except Exception:  # a broker or backend failure must not break the page that asks
        logger.warning("rebuild.status_unavailable")
        return "queued", 0, 0
    return _progress_of(state, info, requested)


def _progress_of(state: str, info: object, requested: dt.datetime) -> tuple[str, int, int]:
    now = timezone.now()
    if state == "PROGRESS" and isinstance(info, dict):
        moved = dt.datetime.fromtimestamp(float(info.get("at", 0)), tz=dt.UTC)
        name = "failed" if now - moved > STALLED_AFTER else "running"
        return name, int(info.get("done", 0)), int(info.get("total", 0))
    if state == "FAILURE" or now - requested > STALLED_AFTER:
        return "failed", 0, 0
    return "queued", 0, 0


def rebuild_status() -> RebuildStatus:
    state = ReportState.objects.first()
    if state is None or not state.rebuild_task_id or state.rebuild_requested_at is None:
        return RebuildStatus("idle", finished_at=state.rebuilt_at if state else None)
    requested = state.rebuild_requested_at
    if state.rebuilt_at and state.rebuilt_at >= requested:
        return RebuildStatus("done", requested_at=requested, finished_at=state.rebuilt_at)
    name, done, total = _task_progress(state.rebuild_task_id, requested)
    return RebuildStatus(name, done, total, requested_at=requested, finished_at=state.rebuilt_at)


def rebuild_request(*, actor: Any) -> RebuildStatus:
    """Start a full rebuild, or join the one under way; raises ``RebuildUnavailable``."""
    current = rebuild_status()
    if current.under_way:
        return current
    task_id = str(uuid.uuid4())
    ReportState.objects.update_or_create(
        pk=1,
        defaults={
            "rebuild_task_id": task_id,
            "rebuild_requested_at": timezone.now(),
            "rebuild_requested_by": actor,
        },
    )
    try:
        tasks.rebuild_aggregates.apply_async(task_id=task_id)
    except Exception as error:  # the broker's failures all mean: not started
        logger.warning("rebuild.enqueue_failed")
        ReportState.objects.filter(pk=1, rebuild_task_id=task_id).update(
            rebuild_task_id="", rebuild_requested_at=None
        )
        raise RebuildUnavailable from error
    logger.info("rebuild.requested task_id=%s", task_id)
    return rebuild_status()
