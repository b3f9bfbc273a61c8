from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.tasks import clear_expired_sessions


def _make_sessions() -> tuple[str, str]:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired, current = store(), store()
    expired.set_expiry(1)
    expired.create()
    current.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return str(expired.session_key), str(current.session_key)


def test_it_clears_expired_sessions_and_keeps_current_ones(db: None) -> None:
    expired, current = _make_sessions()
    clear_expired_sessions()
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=current).exists()


@pytest.mark.celery_worker
def test_it_clears_expired_sessions_on_a_real_worker(
    transactional_db: None, celery_worker_process: None
) -> None:
    expired, current = _make_sessions()
    clear_expired_sessions.delay()
    deadline = time.monotonic() + 30
    while Session.objects.filter(session_key=expired).exists():
        assert time.monotonic() < deadline, "the worker did not run the task within 30 s"
        time.sleep(0.2)
    assert Session.objects.filter(session_key=current).exists()
