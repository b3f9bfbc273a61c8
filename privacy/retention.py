"""Retention: what is kept no longer than it is needed (``manage.py purge_stale``, Celery beat).

- Drafts untouched for ``RETENTION_DRAFT_DAYS`` (365 by default): a story nobody finished holds
  someone's words without ever having been reviewed or counted.
- Submission links expired or revoked more than ``RETENTION_LINK_DAYS`` ago (90 by default), with
  their submission attempts (address hashes). Stories that came in through a link stay; they only
  lose the reference to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from progress import services as story_services
from progress.models import LinkSubmissionAttempt, SubmissionLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    drafts: int
    links: int
    link_attempts: int
    dry_run: bool


def draft_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.RETENTION_DRAFT_DAYS)


def link_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.RETENTION_LINK_DAYS)


def _ended_links(before: datetime) -> Q:
    return Q(expires_at__lt=before) | Q(revoked_at__lt=before)


@transaction.atomic
def _links_purge(*, ended_before: datetime, dry_run: bool) -> tuple[int, int]:
    links = SubmissionLink.objects.filter(_ended_links(ended_before))
    attempts = LinkSubmissionAttempt.objects.filter(link__in=links.values("pk")).count()
    if dry_run:
        return links.count(), attempts
    _total, per_model = links.delete()
    return per_model.get(SubmissionLink._meta.label, 0), attempts


def stale_data_purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Delete (or, with ``dry_run``, count) what the retention rules no longer allow to keep."""
    now = now or timezone.now()
    drafts = story_services.story_drafts_purge(updated_before=draft_cutoff(now), dry_run=dry_run)
    links, attempts = _links_purge(ended_before=link_cutoff(now), dry_run=dry_run)
    logger.info(
        "retention.purged drafts=%d links=%d link_attempts=%d dry_run=%s",
        drafts,
        links,
        attempts,
        dry_run,
    )
    return PurgeResult(drafts=drafts, links=links, link_attempts=attempts, dry_run=dry_run)


@shared_task(name="privacy.purge_stale")
def purge_stale() -> dict[str, int]:
    """The daily run of the retention rules (thin: the work is in ``stale_data_purge``)."""
    result = stale_data_purge()
    return {"drafts": result.drafts, "links": result.links, "link_attempts": result.link_attempts}
