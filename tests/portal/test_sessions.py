"""With Redis, sessions are read from the shared cache and kept in the database too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import World

pytestmark = pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL); .ci/run provides it"
)


def test_a_session_is_read_from_redis_and_ends_everywhere_at_logout(
    world: World, settings: object, client_as: Callable[[str], Client]
) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # type: ignore[attr-defined]
    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    client = client_as("staff")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    assert not Session.objects.filter(session_key=key).exists()
