"""No page with portal data may be kept by a browser or proxy cache (ASVS V8.2.1)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from conftest import World
from progress import attachments
from progress.models import StoryAttachment, SubmissionLink


def _no_store(response: HttpResponseBase) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def _pages(world: World) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("partner-list"),
        reverse("partner-detail", args=[world.alpha.pk]),
        reverse("story-list"),
        reverse("story-detail", args=[world.alpha_story.pk]),
        reverse("project-detail", args=[world.alpha_project.pk]),
        reverse("program-list"),
        reverse("program-detail", args=[world.program.pk]),
        reverse("network-detail", args=[world.network.pk]),
        reverse("link-list"),
        reverse("iati-export"),
        reverse("iati-check"),
        reverse("program-results-export", args=[world.program.pk, "csv"]),
    ]


def test_it_sends_no_store_on_every_page_to_staff(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


@pytest.mark.parametrize("role", ["partner", "member"])
def test_it_sends_no_store_to_partners_and_members(
    world: World, client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    for url in (reverse("partner-list"), reverse("story-detail", args=[world.alpha_story.pk])):
        response = client.get(url, follow=True)
        assert _no_store(response), (role, url)


def test_it_sends_no_store_on_attachments(
    world: World, client_as: Callable[[str], Client], settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    output = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(output, "PNG")
    processed = attachments.process_upload(
        SimpleUploadedFile("meeting.png", output.getvalue(), content_type="image/png")
    )
    attachment = StoryAttachment(
        story=world.alpha_story,
        kind=processed.kind,
        content_type=processed.content_type,
        size=len(processed.content),
        original_name=processed.original_name,
    )
    attachment.file.save("upload", ContentFile(processed.content), save=False)
    attachment.save()
    response = client_as("staff").get(reverse("story-attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert _no_store(response)


def test_it_sends_no_store_on_the_login_and_public_link_pages(world: World) -> None:
    link = SubmissionLink.objects.create(
        label="Workshop",
        partner=world.alpha,
        project=world.alpha_project,
        created_by=world.users["staff"],
        expires_at=timezone.now() + dt.timedelta(days=14),
        max_uses=50,
    )
    client = Client()
    for url in (
        reverse("login"),
        reverse("password_reset"),
        reverse("link-submit", args=[link.token]),
        reverse("link-thanks", args=[link.token]),
        reverse("partner-list"),  # the redirect to the login page
    ):
        response = client.get(url)
        assert _no_store(response), (url, response.get("Cache-Control"))


def test_it_leaves_the_caching_of_static_files_alone(world: World) -> None:
    response = Client().get("/static/portal/portal.css")
    assert response.status_code == 200
    assert not _no_store(response)
    assert "Pragma" not in response
