"""Background work of the figures (in-process on the embedded default)."""

from __future__ import annotations

import time

from celery import Task, shared_task

from portal import outbox, queue
from reporting import aggregates


@shared_task(name="reporting.refresh_aggregates", acks_late=True)
def refresh_aggregates() -> int:
    """Recompute the cells of the partners waiting in the outbox (thin: the work is SQL)."""
    return aggregates.drain_outbox()


@shared_task(name="reporting.rebuild_aggregates", bind=True, acks_late=True, ignore_result=False)
def rebuild_aggregates(self: Task) -> int:
    """The full rebuild; its progress goes to the result backend for the progress bar."""

    def progress(done: int, total: int) -> None:
        if not self.request.is_eager:
            meta = {"done": done, "total": total, "at": time.time()}
            self.update_state(state="PROGRESS", meta=meta)

    cells = aggregates.rebuild_all(progress)
    aggregates.vacuum_kept_tables()
    return cells


def request_refresh() -> None:
    """Ask a worker to drain the outbox now; if the broker is unreachable, the sweep will."""
    queue.enqueue_by_name(outbox.REFRESH_TASK)
