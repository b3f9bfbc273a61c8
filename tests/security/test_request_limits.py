"""Request bodies are bounded by the portal itself, not only by the proxy in front (issue #9)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from progress.models import ChangeStory


def test_it_refuses_an_oversized_body_unread_and_saves_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    before = ChangeStory.objects.count()
    response = client_as("partner").generic(
        "POST",
        reverse("story-create"),
        b"x" * 16,
        content_type="multipart/form-data; boundary=x",
        # The declared length is what the check reads: no need to send that many bytes here.
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert ChangeStory.objects.count() == before
