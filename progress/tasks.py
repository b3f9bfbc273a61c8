"""Background work of the Progress Tracker (in-process on the embedded default)."""

from __future__ import annotations

import logging

from celery import shared_task

from progress import links, notices

logger = logging.getLogger(__name__)


@shared_task(name="progress.purge_link_attempts")
def purge_link_attempts() -> int:
    """Forget submission attempts that no rate limit counts any more (they hold address hashes)."""
    return links.link_attempts_purge()


@shared_task(name=notices.TASK, acks_late=True)
def send_story_notices() -> int:
    """Send the review notices waiting in their outbox (thin: the work is in ``notices``)."""
    return notices.notices_send()
