"""The admin writes through the services (issue #11): what a page's write records, an admin's
write records too — a story's history event, the figures' outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Sum
from django.test import Client

from conftest import World
from portal.models import Outbox
from progress.models import ChangeStory, ChangeType, StoryEvent
from reporting import aggregates
from reporting.models import StoryAggregate
from tests.portal.test_admin_scoping import _change_url, _form_post


def _verified_of(world: World) -> int:
    cells = StoryAggregate.objects.filter(
        partner=world.beta, change_type__isnull=True, target_group__isnull=True
    )
    return cells.aggregate(n=Sum("story_count"))["n"] or 0


def test_a_story_status_changed_in_the_admin_is_in_its_history_and_its_figures(
    world: World, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    story = world.beta_story
    story.change_types.add(ChangeType.objects.get(code="other"))
    ChangeStory.objects.filter(pk=story.pk).update(status=ChangeStory.Status.SUBMITTED)
    aggregates.rebuild_all()
    before = _verified_of(world)
    admin_client = client_as("admin")
    url = _change_url(story)

    def verify(name: str, value: str) -> str:
        return ChangeStory.Status.VERIFIED if name == "status" else value

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, _form_post(admin_client, url, verify))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert callbacks, "no refresh was asked for"
    event = StoryEvent.objects.filter(story=story).latest("at")
    assert (event.action, event.from_status, event.to_status) == (
        "verified",
        "submitted",
        "verified",
    )
    assert event.actor == world.users["admin"]
    # What the task asked for after commit does (run here: no worker in this test).
    assert Outbox.objects.filter(key=world.beta.pk).exists()
    aggregates.drain_outbox()
    assert _verified_of(world) == before + 1


def test_a_partner_moved_to_another_region_in_the_admin_has_its_figures_recounted(
    world: World, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    admin_client = client_as("admin")
    url = _change_url(world.beta)

    def move(name: str, value: str) -> str:
        return "europe" if name == "region" else value

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, _form_post(admin_client, url, move))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert callbacks, "no refresh was asked for"
    aggregates.drain_outbox()
    regions = set(
        StoryAggregate.objects.filter(partner=world.beta).values_list("region", flat=True)
    )
    assert regions == {"europe"}
