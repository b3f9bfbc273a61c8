"""Retention: ``purge_stale`` deletes exactly the stale drafts and ended links, and nothing on a
dry run."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from conftest import World
from privacy import retention
from progress.models import (
    ChangeStory,
    LinkSubmissionAttempt,
    StoryAttachment,
    Storyteller,
    SubmissionLink,
)
from tests import factories

Status = ChangeStory.Status


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _story(world: World, status: str, days_untouched: int) -> ChangeStory:
    story = factories.StoryFactory.create(partner=world.alpha, status=status)
    # ``updated_at`` is auto_now: set the past behind the model's back.
    ChangeStory.objects.filter(pk=story.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=days_untouched)
    )
    return story


def _link(world: World, *, expired_days_ago: int, revoked_days_ago: int | None = None) -> int:
    now = timezone.now()
    link = SubmissionLink.objects.create(
        label="Workshop",
        partner=world.alpha,
        created_by=world.users["partner"],
        expires_at=now - dt.timedelta(days=expired_days_ago),
        revoked_at=None if revoked_days_ago is None else now - dt.timedelta(days=revoked_days_ago),
        max_uses=10,
    )
    return link.pk


def _rows() -> dict[str, set[int]]:
    return {
        "stories": set(ChangeStory.objects.values_list("pk", flat=True)),
        "links": set(SubmissionLink.objects.values_list("pk", flat=True)),
        "attempts": set(LinkSubmissionAttempt.objects.values_list("pk", flat=True)),
        "storytellers": set(Storyteller.objects.values_list("pk", flat=True)),
        "attachments": set(StoryAttachment.objects.values_list("pk", flat=True)),
    }


def test_it_purges_exactly_the_stale_rows(
    world: World,
    settings: Settings,
    media_root: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.RETENTION_DRAFT_DAYS = 365
    settings.RETENTION_LINK_DAYS = 90
    stale_drafts = [_story(world, Status.DRAFT, days) for days in (366, 400, 2000)]
    kept_stories = [
        _story(world, Status.DRAFT, 300),
        _story(world, Status.RETURNED, 2000),  # waiting for an answer: not a draft
        _story(world, Status.VERIFIED, 2000),
    ]
    Storyteller.objects.create(story=stale_drafts[0], name="Draft Teller")
    attachment = StoryAttachment(
        story=stale_drafts[0], kind="document", content_type="application/pdf", size=4
    )
    attachment.file.save("upload", ContentFile(b"%PDF"), save=False)
    attachment.save()
    file_path = Path(attachment.file.path)
    ChangeStory.objects.filter(pk=stale_drafts[0].pk).update(
        updated_at=timezone.now() - dt.timedelta(days=366)
    )

    stale_links = [
        _link(world, expired_days_ago=91),
        _link(world, expired_days_ago=60, revoked_days_ago=120),
    ]
    kept_links = [
        _link(world, expired_days_ago=89),
        _link(world, expired_days_ago=-10),
        _link(world, expired_days_ago=-10, revoked_days_ago=5),
    ]
    LinkSubmissionAttempt.objects.create(link_id=stale_links[0], address_hash="a" * 64)
    kept_attempt = LinkSubmissionAttempt.objects.create(link_id=kept_links[0], address_hash="b")
    through_link = factories.StoryFactory.create(
        partner=world.alpha, submission_link_id=stale_links[0]
    )
    before = _rows()

    output = io.StringIO()
    call_command("purge_stale", "--dry-run", stdout=output)
    assert "would delete 3 drafts untouched for more than 365 days" in output.getvalue()
    assert "would delete 2 submission links" in output.getvalue()
    assert "with 1 attempts" in output.getvalue()
    assert _rows() == before, "a dry run changed something"

    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_stale", stdout=output)
    assert "deleted 3 drafts" in output.getvalue()
    after = _rows()
    assert after["stories"] == before["stories"] - {story.pk for story in stale_drafts}
    assert {story.pk for story in kept_stories} | {through_link.pk} <= after["stories"]
    assert after["links"] == before["links"] - set(stale_links)
    assert after["attempts"] == {kept_attempt.pk}
    assert not after["storytellers"] and not after["attachments"]
    assert not file_path.exists(), "the draft's attachment outlived it on disk"
    through_link.refresh_from_db()
    assert through_link.submission_link_id is None

    # Nothing left to purge.
    assert retention.stale_data_purge() == retention.PurgeResult(0, 0, 0, dry_run=False)
    with capsys.disabled():
        print(
            f"\nretention: {len(before['stories'])} stories and {len(before['links'])} links "
            f"checked; {len(stale_drafts)} drafts and {len(stale_links)} links deleted"
        )


def test_it_runs_daily_on_the_celery_beat() -> None:
    from config.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-stale-data"]
    assert entry["schedule"] == 60 * 60 * 24
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_it_runs_as_a_task(world: World, settings: Settings) -> None:
    settings.RETENTION_DRAFT_DAYS = 30
    _story(world, Status.DRAFT, 31)
    # apply(): in this process, as a worker would run it, whether or not a broker is configured.
    assert retention.purge_stale.apply().get() == {"drafts": 1, "links": 0, "link_attempts": 0}
