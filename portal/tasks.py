"""Housekeeping that runs on the Celery worker (and in-process on the embedded default)."""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="portal.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired sessions, so that an ended session's data does not linger in the database."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    logger.info("sessions.cleared_expired")


@shared_task(name="portal.purge_throttle_events")
def purge_throttle_events() -> int:
    """Forget rate-limit events no limit counts any more (the longest window is an hour)."""
    from portal.throttle import throttle_purge  # the models load after the Celery app

    deleted = throttle_purge(older_than=timedelta(days=1))
    logger.info("throttle.purged count=%d", deleted)
    return deleted
