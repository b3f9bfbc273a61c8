"""Seeding the demo from scratch: deterministic for a seed, and growing without changing what
is there; refused under production settings."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from demo import bulk, stories
from partners.models import Partner
from progress.models import ChangeStory, StoryEvent
from tests.demo.seeding import demo_rows, remove_demo_data, seed


@pytest.mark.parametrize("through_services", [80, 30], ids=["services", "services and bulk"])
def test_a_second_run_with_the_same_seed_gives_the_same_rows(
    db: None, through_services: int
) -> None:
    seed(seed=2026, stories=80, through_services=through_services)
    first = demo_rows()
    assert len(first["ChangeStory"]) == 80
    remove_demo_data()
    assert not Partner.objects.exists() and not ChangeStory.objects.exists()

    seed(seed=2026, stories=80, through_services=through_services)
    assert demo_rows() == first

    # The comparison sees a difference where there is one: another seed, other stories.
    remove_demo_data()
    seed(seed=7, stories=80, through_services=through_services)
    other = demo_rows()
    assert other["Partner"] != first["Partner"]  # other pseudonyms
    assert other["ChangeStory"] != first["ChangeStory"]


def test_a_larger_number_of_stories_adds_stories_and_leaves_the_others_as_they_were(
    db: None,
) -> None:
    seed(seed=2026, stories=40, through_services=30)
    before = {row["reference"]: row for row in demo_rows()["ChangeStory"]}
    events = StoryEvent.objects.count()
    seed(seed=2026, stories=60, through_services=30)
    after = {row["reference"]: row for row in demo_rows()["ChangeStory"]}
    assert len(after) == 60
    assert {reference: after[reference] for reference in before} == before
    assert StoryEvent.objects.count() > events


def test_it_refuses_to_run_without_debug(db: None, settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stories=1, verbosity=0)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the writer has a thread of its own on PostgreSQL only (demo.bulk)",
)
def test_the_writer_thread_writes_the_rows_the_inline_path_writes(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL outside a transaction, the bulk batches are written by a thread of their
    own while the next batch is planned. What it writes is what the in-line path writes.

    A transactional test (the thread's connection sees only committed rows); the conftest puts
    the migration's taxonomy back after its flush, as for every such test."""
    monkeypatch.setattr(stories, "BATCH_SIZE", 20)  # several batches, one in flight at a time
    threads = []
    run = bulk.BatchWriter._run

    def recording(job: Callable[[], None]) -> None:
        threads.append(threading.current_thread().name)
        run(job)

    monkeypatch.setattr(bulk.BatchWriter, "_run", staticmethod(recording))
    seed(seed=2026, stories=80, through_services=30)
    threaded = demo_rows()
    assert threads and all(name.startswith("demo-writer") for name in threads)

    remove_demo_data()
    threads.clear()
    with transaction.atomic():
        seed(seed=2026, stories=80, through_services=30)
    assert threads and "demo-writer" not in " ".join(threads)
    assert demo_rows() == threaded
