"""A demo story's review history, from the portal's own workflow.

Which steps lead to a status comes from the services' rules, never from a table of the demo's
own: submitting is ``story_save(submit=True)``, allowed from the statuses a submitter may
still edit (``progress.selectors.EDITABLE_STORY_STATUSES``), and the review actions with the
statuses they lead from and to are ``progress.services.REVIEW_TRANSITIONS``. ``path_to``
searches that graph for the shortest way from a new draft to a status.

Two writers follow the path: ``tell_through_services`` calls the services step by step (the
default demo), ``bulk_history`` builds the same events as rows to write in bulk (a large
``--stories``). Either way the steps then carry the demo's fixed times (``step_times``).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import NamedTuple

from demo.records import StoryData
from portal.models import User
from progress import services
from progress.models import ChangeStory, ChangeType, StoryEvent, TargetGroup
from progress.selectors import EDITABLE_STORY_STATUSES

Status = ChangeStory.Status
Action = StoryEvent.Action


class Step(NamedTuple):
    action: str
    from_status: str
    to_status: str


# How ``story_save`` names a submission: a resubmission when it answers a returned story.
SUBMIT_ACTIONS = frozenset({Action.SUBMITTED, Action.RESUBMITTED})


def workflow_steps() -> tuple[Step, ...]:
    """Every step a story can take, as the services allow it."""
    submitting = tuple(
        Step(
            Action.RESUBMITTED if status == Status.RETURNED else Action.SUBMITTED,
            status,
            Status.SUBMITTED,
        )
        for status in EDITABLE_STORY_STATUSES
    )
    reviewing = tuple(
        Step(action, origin, target)
        for action, (origins, target) in services.REVIEW_TRANSITIONS.items()
        for origin in origins
    )
    return submitting + reviewing


@functools.cache
def path_to(status: str) -> tuple[Step, ...]:
    """The shortest sequence of steps that takes a new draft to ``status`` (breadth first)."""
    paths: dict[str, tuple[Step, ...]] = {Status.DRAFT: ()}
    frontier = [str(Status.DRAFT)]
    while frontier:
        reached = []
        for current in frontier:
            for step in workflow_steps():
                if step.from_status == current and step.to_status not in paths:
                    paths[step.to_status] = (*paths[current], step)
                    reached.append(step.to_status)
        frontier = reached
    if status not in paths:
        raise ValueError(f"No step of the review workflow leads to the status {str(status)!r}.")
    return paths[status]


def created_status(path: Sequence[Step]) -> str:
    """The status ``story_save`` creates a story in: submitted at once when submitting is its
    first step (the form's Submit button), a draft otherwise."""
    return Status.SUBMITTED if path and path[0].action in SUBMIT_ACTIONS else Status.DRAFT


def draft_time(anchor: date) -> datetime:
    """When the demo's drafts were begun: the anchor's morning."""
    return datetime.combine(anchor, clock(9), tzinfo=UTC)


def history_start(story: ChangeStory, anchor: date) -> datetime:
    """When the story was created: when it was submitted, or for a draft ``draft_time``."""
    return story.submitted_at or draft_time(anchor)


def step_times(start: datetime, steps: int) -> list[datetime]:
    """The creation at ``start``, then one step every three days, the first five minutes on."""
    return [start] + [start + timedelta(days=3 * number, minutes=5) for number in range(steps)]


def step_comments(reference: str, path: Sequence[Step], texts: StoryData) -> list[str]:
    """The reviewer's words at each step where the services require some."""
    if not any(step.action in services.COMMENT_REQUIRED for step in path):
        return [""] * len(path)  # most stories: no generator to seed, a million times over
    generator = random.Random(reference)
    comments = []
    for step in path:
        comment = ""
        if step.action in services.COMMENT_REQUIRED:
            if step.action == Action.RETURNED:
                comment = generator.choice(texts.review_questions)
            else:
                comment = generator.choice(texts.selection_reasons)
        comments.append(comment)
    return comments


class EventRow(NamedTuple):
    """One ``StoryEvent`` as a row: its fields by attribute name, in ``EVENT_FIELDS`` order."""

    story_id: int
    actor_id: int | None
    action: str
    from_status: str
    to_status: str
    comment: str
    at: datetime


EVENT_FIELDS = EventRow._fields


def bulk_history(
    story: ChangeStory, *, story_id: int, reviewer_id: int, texts: StoryData, anchor: date
) -> list[EventRow]:
    """The events the services would record for this story, as rows to write in bulk."""
    path = path_to(story.status)
    times = step_times(history_start(story, anchor), len(path))
    events = [
        EventRow(
            story_id, story.submitted_by_id, Action.CREATED, "", created_status(path), "", times[0]
        )
    ]
    for step, at, comment in zip(
        path, times[1:], step_comments(story.reference, path, texts), strict=True
    ):
        submitting = step.action in SUBMIT_ACTIONS
        events.append(
            EventRow(
                story_id,
                story.submitted_by_id if submitting else reviewer_id,
                step.action,
                step.from_status,
                step.to_status,
                comment,
                at,
            )
        )
    return events


def tell_through_services(
    story: ChangeStory,
    *,
    submitter: User,
    reviewer: User,
    change_types: Iterable[ChangeType],
    target_groups: Iterable[TargetGroup],
    storyteller: tuple[str, str] | None,
    texts: StoryData,
) -> ChangeStory:
    """Create the story with ``story_save`` and take it to its status with the services.

    ``story`` is unsaved, with the status its review is to reach. The services record each
    step with the time of the run; ``set_demo_times`` moves them to the demo's dates.
    """
    path = path_to(story.status)
    comments = step_comments(story.reference, path, texts)
    # The services set the status and the time of submission as they go.
    story.status, story.submitted_at = Status.DRAFT, None
    name, contact = storyteller or ("", "")
    change_types, target_groups = list(change_types), list(target_groups)

    def save(story: ChangeStory, *, submit: bool) -> ChangeStory:
        return services.story_save(
            actor=submitter,
            story=story,
            change_types=change_types,
            target_groups=target_groups,
            storyteller_name=name,
            storyteller_contact=contact,
            submit=submit,
        )

    submit_at_once = created_status(path) == Status.SUBMITTED
    story = save(story, submit=submit_at_once)
    skip = 1 if submit_at_once else 0
    for step, comment in zip(path[skip:], comments[skip:], strict=True):
        if step.action in SUBMIT_ACTIONS:
            story = save(story, submit=True)
        else:
            story = services.story_review(
                actor=reviewer, story=story, action=step.action, comment=comment
            )
    return story


def set_demo_times(stories: Sequence[tuple[ChangeStory, datetime | None]], anchor: date) -> None:
    """Give stories told through the services the demo's fixed times.

    ``stories`` pairs each story with the submission time its plan gave it. Its creation and
    every event of its history move to ``step_times`` from that start, as in ``bulk_history``.
    """
    events_of: dict[int, list[StoryEvent]] = {}
    story_ids = [story.pk for story, _submitted_at in stories]
    for event in StoryEvent.objects.filter(story_id__in=story_ids).order_by("story_id", "id"):
        events_of.setdefault(event.story_id, []).append(event)
    moved: list[StoryEvent] = []
    for story, submitted_at in stories:
        story.submitted_at = submitted_at
        story.created_at = history_start(story, anchor)
        events = events_of.get(story.pk, [])
        path = path_to(story.status)
        if len(events) != len(path) + 1:
            # The services recorded something the workflow path does not know: say so rather
            # than give the events times that belong to other steps.
            raise RuntimeError(
                f"{story.reference}: the services recorded {len(events)} events, the path to "
                f"{str(story.status)!r} has {len(path)} steps after the creation."
            )
        for event, at in zip(events, step_times(story.created_at, len(path)), strict=True):
            event.at = at
        moved += events
    ChangeStory.objects.bulk_update(
        [story for story, _submitted_at in stories], ["submitted_at", "created_at"]
    )
    StoryEvent.objects.bulk_update(moved, ["at"])
