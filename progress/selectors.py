"""Reads of the Progress Tracker that join across its models, through the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from portal import access
from progress.models import ChangeStory, StoryEvent

RETURNED_SHOWN = 10


@dataclass(frozen=True)
class ReturnedStory:
    story: ChangeStory
    question: StoryEvent | None


def latest_question(story: ChangeStory) -> StoryEvent | None:
    """The step that returned the story, with the reviewer's question: the latest one."""
    return (
        story.events.filter(action=StoryEvent.Action.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def returned_stories(user: Any, *, partner_id: int) -> list[ReturnedStory]:
    """A partner's stories waiting for its answer, each with the question it was returned with
    (oldest first: the longest wait comes first)."""
    stories = (
        access.visible_stories(user)
        .filter(partner_id=partner_id, status=ChangeStory.Status.RETURNED)
        .order_by("updated_at", "pk")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=StoryEvent.objects.filter(action=StoryEvent.Action.RETURNED)
                .select_related("actor")
                .order_by("-at", "-pk"),
                to_attr="returned_events",
            )
        )[:RETURNED_SHOWN]
    )
    return [
        ReturnedStory(story, story.returned_events[0] if story.returned_events else None)  # type: ignore[attr-defined]
        for story in stories
    ]
