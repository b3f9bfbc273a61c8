"""Many workers, one truth: stories verified by two writers at once while three Celery workers
drain the outbox leave the same kept figures as a rebuild from scratch (PostgreSQL, Redis)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from conftest import World, start_celery_worker, stop_celery_worker
from portal.models import Outbox
from progress import services
from progress.models import ChangeStory, ChangeType, TargetGroup
from reporting import aggregates
from reporting.models import (
    GroupRollup,
    PartnerRollup,
    StoryAggregate,
    StoryRollup,
    StoryStatusCount,
    StoryTypeTotal,
    TypeRollup,
)
from tests import factories

CELLS = (
    "month",
    "country",
    "program_id",
    "partner_id",
    "change_type_id",
    "target_group_id",
    "submitter_role",
    "significance",
    "quotable",
    "story_count",
    "significance_sum",
)


def _figures() -> tuple[list[tuple[object, ...]], ...]:
    return (
        sorted(StoryAggregate.objects.values_list(*CELLS), key=repr),
        sorted(
            StoryStatusCount.objects.values_list(
                "partner_id", "project_id", "status", "quotable", "story_count"
            ),
            key=repr,
        ),
        sorted(
            StoryTypeTotal.objects.filter(story_count__gt=0).values_list(
                "change_type_id", "story_count", "significance_sum"
            )
        ),
        *(
            sorted((tuple(row.values())[1:] for row in model.objects.values()), key=repr)
            for model in (StoryRollup, TypeRollup, GroupRollup, PartnerRollup)
        ),
    )


@pytest.mark.celery_worker
def test_concurrent_verifications_and_three_workers_keep_what_a_rebuild_computes(
    transactional_db: None, world: World
) -> None:
    partners = [world.alpha, world.beta, *factories.PartnerFactory.create_batch(2)]
    types = list(ChangeType.objects.order_by("pk"))
    groups = list(TargetGroup.objects.order_by("pk"))
    counted_before = ChangeStory.objects.filter(status__in=aggregates.COUNTED_STATUSES).count()
    waiting = []
    for n in range(160):
        # Few partners and months, so that writers and workers meet on the same cells.
        story = factories.StoryFactory.create(
            partner=partners[n % len(partners)],
            status=ChangeStory.Status.SUBMITTED,
            event_date=dt.date(2025, 1 + n % 3, 1 + n % 28),
            significance=1 + n % 5,
            consent_quote_internal=n % 3 != 0,
        )
        story.change_types.set(types[n % len(types) : n % len(types) + 2])
        story.target_groups.set(groups[n % len(groups) : n % len(groups) + 1])
        waiting.append(story.pk)
    aggregates.rebuild_all()
    staff = world.users["staff"]
    workers = [start_celery_worker("--pool=solo", f"--hostname=figures{n}@%h") for n in range(3)]
    failures: list[BaseException] = []

    def verify(ids: list[int]) -> None:
        """One writer, as a web process would: each story in its own transaction."""
        try:
            for pk in ids:
                story = ChangeStory.objects.get(pk=pk)
                services.story_review(actor=staff, story=story, action="verified")
                if pk % 4 == 0:
                    story.refresh_from_db()
                    services.story_review(actor=staff, story=story, action="selected", comment="!")
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    try:
        writers = [threading.Thread(target=verify, args=(waiting[n::2],)) for n in range(2)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=120)
        assert not failures, failures
        # A drain deletes its outbox rows in the transaction that writes the figures: once the
        # outbox is empty, every refresh has committed.
        deadline = time.monotonic() + 90
        while Outbox.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Outbox.objects.exists(), "the workers did not drain the outbox in 90 s"
    finally:
        for worker in workers:
            stop_celery_worker(worker)
    kept = _figures()
    verified = ChangeStory.objects.filter(status__in=aggregates.COUNTED_STATUSES).count()
    assert verified == counted_before + len(waiting)
    each_story_once = StoryAggregate.objects.filter(change_type=None, target_group=None)
    assert sum(each_story_once.values_list("story_count", flat=True)) == verified
    aggregates.rebuild_all()
    assert kept == _figures()
    print(
        f"concurrency: {len(waiting)} stories verified by 2 writers, outbox drained by 3 "
        f"workers; {len(kept[0])} cells equal to a rebuild"
    )
