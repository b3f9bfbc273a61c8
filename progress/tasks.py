"""Background work of the Progress Tracker (in-process on the embedded default)."""

from __future__ import annotations

import logging

from celery import shared_task

from progress import aggregates, links

logger = logging.getLogger(__name__)


@shared_task(name="progress.purge_link_attempts")
def purge_link_attempts() -> int:
    """Forget submission attempts that no rate limit counts any more (they hold address hashes)."""
    return links.link_attempts_purge()


@shared_task(name="progress.refresh_aggregates", acks_late=True)
def refresh_aggregates() -> int:
    """Recompute the cells of the partners waiting in the outbox (thin: the work is SQL)."""
    return aggregates.drain_outbox()


@shared_task(name="progress.rebuild_aggregates", acks_late=True)
def rebuild_aggregates() -> int:
    return aggregates.rebuild_all()


def request_refresh() -> None:
    """Ask a worker to drain the outbox now; if the broker is unreachable, the sweep will.

    Called after the story's transaction has committed, so a failure here loses nothing and
    must not turn the user's request into an error.
    """
    try:
        refresh_aggregates.delay()
    except Exception:  # the broker's many failure types all mean the same here
        logger.warning("aggregates.enqueue_failed; the periodic sweep will refresh")
