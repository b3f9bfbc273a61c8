"""Asking a Celery worker for work by the task's name, from code that sits below the task.

Domain code records what must be done in an outbox row, in its own transaction, and then asks a
worker to do it now; if the broker cannot take the request, a periodic sweep does the work
later, so a failure here loses nothing and must not turn the user's request into an error. The
task is named, not imported: the modules that write outbox rows sit below the task modules that
drain them, and importing upwards would close a cycle.

After the broker has failed, requests stop asking it for ``PAUSE_SECONDS``. Each attempt costs up
to the broker's socket timeout (3 s) against a Redis that accepts and never answers, and 0.6 s of
publish retries against one that refuses: during an outage every story change would pay it.
"""

from __future__ import annotations

import logging
import time

from celery import current_app

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 15.0
_paused_until = 0.0


def enqueue_by_name(name: str) -> bool:
    """Send the task ``name`` (registered at start-up by its app's ``ready()``); False when the
    broker could not take it and the sweep must do the work."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return False
    try:
        current_app.tasks[name].delay()
    except Exception:  # the broker's many failure types all mean the same here
        # Run eagerly (no broker), the failure is the task's own: there is no broker to wait out.
        if not current_app.conf.task_always_eager:
            _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("queue.enqueue_failed task=%s; the periodic sweep will do it", name)
        return False
    return True
