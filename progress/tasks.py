"""Background work of the Progress Tracker (in-process on the embedded default)."""

from __future__ import annotations

import logging
import time

from celery import Task, shared_task

from portal import queue
from progress import aggregates, links, notices

logger = logging.getLogger(__name__)


@shared_task(name="progress.purge_link_attempts")
def purge_link_attempts() -> int:
    """Forget submission attempts that no rate limit counts any more (they hold address hashes)."""
    return links.link_attempts_purge()


@shared_task(name="progress.refresh_aggregates", acks_late=True)
def refresh_aggregates() -> int:
    """Recompute the cells of the partners waiting in the outbox (thin: the work is SQL)."""
    return aggregates.drain_outbox()


@shared_task(name="progress.rebuild_aggregates", bind=True, acks_late=True, ignore_result=False)
def rebuild_aggregates(self: Task) -> int:
    """The full rebuild; its progress goes to the result backend for the progress bar."""

    def progress(done: int, total: int) -> None:
        if not self.request.is_eager:
            meta = {"done": done, "total": total, "at": time.time()}
            self.update_state(state="PROGRESS", meta=meta)

    return aggregates.rebuild_all(progress)


@shared_task(name=notices.TASK, acks_late=True)
def send_story_notices() -> int:
    """Send the review notices waiting in their outbox (thin: the work is in ``notices``)."""
    return notices.notices_send()


def request_refresh() -> None:
    """Ask a worker to drain the outbox now; if the broker is unreachable, the sweep will."""
    queue.enqueue_by_name("progress.refresh_aggregates")
