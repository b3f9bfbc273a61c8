"""Rate limits counted in the database: they hold across every web worker and while Redis is
down (the cache is per process in this setup). Keys are HMAC-hashed, never stored as given: an
address or an e-mail is personal data, and the IPv4 space is small enough to hash exhaustively.

django-ratelimit would count in the cache, which here is per process; the submission links
count in the database for the same reason (``progress.links``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import ThrottleEvent

logger = logging.getLogger(__name__)


def hashed(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def throttle_allow(*, scope: str, key: str, limit: int, window: timedelta) -> bool:
    """Count one event of ``scope`` for ``key``; False, and nothing counted, at the limit."""
    key_hash = hashed(key)
    recent = ThrottleEvent.objects.filter(
        scope=scope, key_hash=key_hash, at__gte=timezone.now() - window
    )
    if recent.count() >= limit:
        logger.warning("throttle.refused scope=%s", scope)
        return False
    ThrottleEvent.objects.create(scope=scope, key_hash=key_hash)
    return True


def throttle_purge(*, older_than: timedelta) -> int:
    deleted, _per_model = ThrottleEvent.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted
