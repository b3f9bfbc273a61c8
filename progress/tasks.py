"""Background work of the Progress Tracker (in-process on the embedded default)."""

from __future__ import annotations

import logging
import time

from celery import Task, shared_task

from progress import aggregates, links

logger = logging.getLogger(__name__)

# After the broker has failed, requests stop asking it for this long. Each attempt costs up to
# the broker's socket timeout (3 s) against a Redis that accepts and never answers, and 0.6 s of
# publish retries against one that refuses, once per outbox row a request writes (a submitted
# story writes two): during an outage every story change would pay it. Changes made while
# paused are in the outbox all the same and reach the figures with the sweep (30 s).
ENQUEUE_PAUSE_SECONDS = 15.0
_enqueue_paused_until = 0.0


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


def request_refresh() -> None:
    """Ask a worker to drain the outbox now; if the broker is unreachable, the sweep will.

    Called after the story's transaction has committed, so a failure here loses nothing and
    must not turn the user's request into an error, nor make it wait on the broker again and
    again (``ENQUEUE_PAUSE_SECONDS``).
    """
    global _enqueue_paused_until
    if time.monotonic() < _enqueue_paused_until:
        return
    try:
        refresh_aggregates.delay()
    except Exception:  # the broker's many failure types all mean the same here
        # Run eagerly (no broker), the failure is the task's own: there is no broker to wait out.
        if not refresh_aggregates.app.conf.task_always_eager:
            _enqueue_paused_until = time.monotonic() + ENQUEUE_PAUSE_SECONDS
        logger.warning("aggregates.enqueue_failed; the periodic sweep will refresh")
