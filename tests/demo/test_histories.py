"""The demo's review histories come from the portal's own workflow, not from a copy of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from demo.data_files import demo_data
from demo.histories import EventRow, Step, bulk_history, path_to
from portal.models import User
from progress import services
from progress.models import ChangeStory, StoryEvent
from progress.selectors import EDITABLE_STORY_STATUSES
from tests.demo.seeding import seed

Status = ChangeStory.Status
Action = StoryEvent.Action


@pytest.fixture
def fresh_paths() -> Iterator[None]:
    """``path_to`` remembers its answers; a test that changes the workflow must not leave them."""
    path_to.cache_clear()
    yield
    path_to.cache_clear()


def test_the_path_to_each_status_is_the_shortest_one_the_services_allow(
    fresh_paths: None,
) -> None:
    submit = Step(Action.SUBMITTED, Status.DRAFT, Status.SUBMITTED)
    assert path_to(Status.DRAFT) == ()
    assert path_to(Status.SUBMITTED) == (submit,)
    assert path_to(Status.RETURNED) == (
        submit,
        Step(Action.RETURNED, Status.SUBMITTED, Status.RETURNED),
    )
    assert path_to(Status.VERIFIED) == (
        submit,
        Step(Action.VERIFIED, Status.SUBMITTED, Status.VERIFIED),
    )
    assert path_to(Status.SELECTED) == (
        submit,
        Step(Action.VERIFIED, Status.SUBMITTED, Status.VERIFIED),
        Step(Action.SELECTED, Status.VERIFIED, Status.SELECTED),
    )
    assert path_to(Status.ARCHIVED) == (
        submit,
        Step(Action.ARCHIVED, Status.SUBMITTED, Status.ARCHIVED),
    )


def test_a_change_to_the_review_transitions_changes_the_demo_histories(
    fresh_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Were only verified stories archived, the demo's archived stories would be verified first.
    transitions = dict(services.REVIEW_TRANSITIONS)
    transitions[Action.ARCHIVED] = ((Status.VERIFIED,), Status.ARCHIVED)
    monkeypatch.setattr(services, "REVIEW_TRANSITIONS", transitions)
    assert [step.action for step in path_to(Status.ARCHIVED)] == [
        Action.SUBMITTED,
        Action.VERIFIED,
        Action.ARCHIVED,
    ]
    # And a status no step leads to any more is refused rather than invented.
    del transitions[Action.SELECTED]
    with pytest.raises(ValueError, match="selected"):
        path_to(Status.SELECTED)


def _legal(action: str, from_status: str, to_status: str) -> bool:
    """The workflow as the services state it: submitting from a status its submitter may
    still edit (a resubmission after a return), and ``REVIEW_TRANSITIONS``."""
    if action in (Action.SUBMITTED, Action.RESUBMITTED):
        resubmitting = action == Action.RESUBMITTED
        return (
            from_status in EDITABLE_STORY_STATUSES
            and resubmitting == (from_status == Status.RETURNED)
            and to_status == Status.SUBMITTED
        )
    if action in services.REVIEW_TRANSITIONS:
        origins, target = services.REVIEW_TRANSITIONS[action]
        return from_status in origins and to_status == target
    return False


def test_every_step_of_every_seeded_history_is_a_legal_transition(db: None) -> None:
    # Thirty stories through the services, fifty in bulk.
    seed(seed=2026, stories=80, through_services=30)
    staff = User.objects.get(username="staff")
    stories = ChangeStory.objects.prefetch_related("events").order_by("reference")
    kinds_seen = set()
    for story in stories:
        events = sorted(story.events.all(), key=lambda event: (event.at, event.pk))
        created, steps = events[0], events[1:]
        assert created.action == Action.CREATED, story.reference
        assert created.actor_id == story.submitted_by_id
        # Created as a draft, or submitted at once as the form's Submit button does; either
        # way its first step starts from the draft it was.
        assert created.to_status == (Status.SUBMITTED if steps else Status.DRAFT)
        status: str = Status.DRAFT
        for event in steps:
            assert event.from_status == status, (story.reference, event.action)
            assert _legal(event.action, event.from_status, event.to_status), (
                story.reference,
                event.action,
                event.from_status,
                event.to_status,
            )
            submitting = event.action in (Action.SUBMITTED, Action.RESUBMITTED)
            assert event.actor_id == (story.submitted_by_id if submitting else staff.pk)
            assert event.at >= created.at
            status = event.to_status
        assert status == story.status, story.reference
        kinds_seen.add((story.reference <= "DEMO-000030", story.status))
    # Both writers were checked, each with stories that went beyond submission.
    assert {(True, Status.VERIFIED), (False, Status.VERIFIED)} <= kinds_seen
    assert len({status for _told, status in kinds_seen}) == len(Status.values)


def _as_recorded(event: StoryEvent | EventRow) -> tuple[object, ...]:
    return (
        event.action,
        event.from_status,
        event.to_status,
        event.comment,
        event.at,
        event.actor_id,
    )


def test_the_bulk_path_writes_the_history_the_services_record(db: None, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", stories=80, verbosity=0)  # all 80 through the services
    data = demo_data()
    staff = User.objects.get(username="staff")
    statuses = set()
    for story in ChangeStory.objects.prefetch_related("events"):
        recorded = [_as_recorded(event) for event in sorted(story.events.all(), key=lambda e: e.pk)]
        built = bulk_history(
            story, story_id=story.pk, reviewer_id=staff.pk, texts=data.stories, anchor=data.anchor
        )
        assert [_as_recorded(event) for event in built] == recorded, story.reference
        statuses.add(story.status)
    assert statuses == set(Status.values)
