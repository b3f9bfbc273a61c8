"""The demo's change stories: the first ones told through the services, the rest in bulk.

Story number ``index`` is always the same story (``demo.story_plan``) with the reference
``DEMO-000001`` and up, so a run inserts only the references that are missing: a second run
changes nothing, and a larger ``--stories`` adds stories without touching the existing ones.

The first ``DEFAULT_STORIES`` (the default demo) are told through ``story_save`` and
``story_review``, each step of their review recorded by the services themselves. The services
cost a few dozen queries a story; any stories beyond are written in bulk (``demo.bulk``:
``COPY`` on PostgreSQL), their histories built from the same workflow path
(``demo.histories``), so that ``--stories 1000000`` takes minutes. Bulk writes skip ``save()``,
signals and the outbox by design: the command rebuilds the report figures afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.db import reset_queries, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from demo import bulk
from demo.data_files import demo_data
from demo.histories import (
    EVENT_FIELDS,
    bulk_history,
    draft_time,
    history_start,
    set_demo_times,
    tell_through_services,
)
from demo.records import DemoData
from demo.story_plan import PlannedStory, StoryPlanner, story_reference
from demo.world import DemoWorld
from progress.models import (
    ChangeStory,
    ChangeType,
    StoryEvent,
    StoryNotice,
    Storyteller,
    TargetGroup,
)

# The default demo: as many stories, all told through the services; any beyond go in bulk.
DEFAULT_STORIES = 300
# One batch is also one transaction: small enough to keep memory flat for a million stories,
# large enough that the per-statement overhead disappears.
BATCH_SIZE = 2000


def chunks(total: int, size: int) -> Iterable[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def seed_stories(
    world: DemoWorld,
    *,
    seed: int,
    total: int,
    progress: Callable[[int, int], None],
    through_services: int = DEFAULT_STORIES,
) -> int:
    """Insert the missing stories among ``DEMO-000001`` .. ``total``; return how many.

    Those among the first ``through_services`` are told through the services, the others
    inserted in bulk. The split is by number, not by ``total``, so that story ``DEMO-000042``
    is the same story with the same history whatever ``--stories`` a run was given.
    """
    data = demo_data()
    planner = StoryPlanner(world, data, seed)
    reviewer_id = world.users["staff"].pk
    created = 0
    with bulk.BatchWriter() as writer:
        for indices in chunks(total, BATCH_SIZE):
            references = [story_reference(index) for index in indices]
            existing = set(
                ChangeStory.objects.filter(reference__in=references).values_list(
                    "reference", flat=True
                )
            )
            missing = [index for index in indices if story_reference(index) not in existing]
            told = [planner.plan(index) for index in missing if index < through_services]
            inserted = [planner.plan(index) for index in missing if index >= through_services]
            if told:
                with transaction.atomic():
                    tell_stories(told, world=world, data=data)
            if inserted:
                writer.write(
                    functools.partial(insert_stories, inserted, reviewer_id=reviewer_id, data=data)
                )
            created += len(missing)
            # With DEBUG on (the normal case here) Django keeps the last 9000 statements, each
            # batch insert being megabytes of SQL: without this a million stories need
            # gigabytes.
            reset_queries()
            progress(indices.stop, created)
    return created


def tell_stories(planned: list[PlannedStory], *, world: DemoWorld, data: DemoData) -> None:
    """Stories through the services, as a partner and a reviewer would have made them."""
    users = {user.pk: user for user in world.users.values()}
    change_types = ChangeType.objects.in_bulk()
    target_groups = TargetGroup.objects.in_bulk()
    stories = []
    for plan in planned:
        submitted_at = plan.story.submitted_at
        submitter = users.get(plan.story.submitted_by_id or 0)
        if submitter is None:
            raise ValueError(f"{plan.story.reference}: its submitter is not a demo login.")
        story = tell_through_services(
            plan.story,
            submitter=submitter,
            reviewer=world.users["staff"],
            change_types=[change_types[pk] for pk in plan.change_type_ids],
            target_groups=[target_groups[pk] for pk in plan.target_group_ids],
            storyteller=plan.storyteller,
            texts=data.stories,
        )
        stories.append((story, submitted_at))
    set_demo_times(stories, data.anchor)
    # The review steps queued e-mails to the partner and the storyteller (returned, selected).
    # The demo's history is not news, and its addresses are invented: nothing is to be sent.
    StoryNotice.objects.filter(story__in=[story for story, _submitted_at in stories]).delete()


def insert_stories(planned: list[PlannedStory], *, reviewer_id: int, data: DemoData) -> None:
    """One batch: stories, then their many-to-many rows, storytellers and history."""
    stories = [plan.story for plan in planned]
    # A story was created when it was submitted, a draft on the anchor's morning (as its
    # history says), so that lists sort like real data. ``COPY`` writes these as they are.
    now = timezone.now()
    for story in stories:
        story.created_at = history_start(story, data.anchor)
        story.updated_at = now
    bulk.insert_objects(ChangeStory, stories)
    change_types = ChangeStory.change_types.through
    target_groups = ChangeStory.target_groups.through
    bulk.insert_rows(
        change_types,
        ("changestory_id", "changetype_id"),
        [(plan.story.pk, pk) for plan in planned for pk in plan.change_type_ids],
    )
    bulk.insert_rows(
        target_groups,
        ("changestory_id", "targetgroup_id"),
        [(plan.story.pk, pk) for plan in planned for pk in plan.target_group_ids],
    )
    bulk.insert_rows(
        Storyteller,
        ("story_id", "name", "contact"),
        [(plan.story.pk, *plan.storyteller) for plan in planned if plan.storyteller is not None],
    )
    bulk.insert_rows(
        StoryEvent,
        EVENT_FIELDS,
        [
            event
            for plan in planned
            for event in bulk_history(
                plan.story,
                story_id=plan.story.pk,
                reviewer_id=reviewer_id,
                texts=data.stories,
                anchor=data.anchor,
            )
        ],
    )
    if not bulk.copies():
        # ``bulk_create`` sets ``auto_now_add`` to the time of the run, over the value given.
        ChangeStory.objects.filter(pk__in=[story.pk for story in stories]).update(
            created_at=Coalesce(F("submitted_at"), Value(draft_time(data.anchor)))
        )
