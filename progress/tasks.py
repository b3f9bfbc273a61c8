"""Background work of the Progress Tracker (in-process on the embedded default)."""

from __future__ import annotations

from celery import shared_task

from progress import links


@shared_task(name="progress.purge_link_attempts")
def purge_link_attempts() -> int:
    """Forget submission attempts that no rate limit counts any more (they hold address hashes)."""
    return links.link_attempts_purge()
