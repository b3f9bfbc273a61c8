"""A story returned with a question is seen by the partner, on its landing page and in the answer
form, and the partner (and a storyteller who left an e-mail address) is told by mail (issue #10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import World
from portal.models import User
from progress import notices, services
from progress.models import ChangeStory, StoryNotice, Storyteller
from reporting import aggregates

QUESTION = "Which village was it, and how many women took part?"


def _worker_runs() -> None:
    """What a worker does after the review's commit: the tasks asked for by name, run here so
    that the test reads the same on the embedded default (tasks eager) and on PostgreSQL with
    Redis (where no worker is started for these tests)."""
    aggregates.drain_outbox()
    notices.notices_send()


def _return(world: World, story: ChangeStory, captured: Any) -> None:
    # The requests for the tasks are queued on commit; the test runs their work itself.
    with captured(execute=False):
        services.story_review(
            actor=world.users["staff"], story=story, action="returned", comment=QUESTION
        )
    _worker_runs()


@pytest.fixture
def returned(world: World, django_capture_on_commit_callbacks: Any) -> ChangeStory:
    story = world.alpha_story
    story.status = ChangeStory.Status.SUBMITTED
    story.save()
    Storyteller.objects.create(story=story, name="María", contact="maria@example.org")
    _return(world, story, django_capture_on_commit_callbacks)
    return story


def test_the_partner_sees_the_question_on_its_landing_page(
    returned: ChangeStory, client_as: Callable[[str], Client]
) -> None:
    response = client_as("partner").get("/", follow=True)
    body = response.content.decode()
    assert "1 story was returned to you with a question" in body
    assert QUESTION in body
    assert reverse("story-edit", args=[returned.pk]) in body
    assert "Returned with a question: 1." in body


def test_the_answer_form_shows_the_question(
    returned: ChangeStory, client_as: Callable[[str], Client]
) -> None:
    body = client_as("partner").get(reverse("story-edit", args=[returned.pk])).content.decode()
    assert "The question you were asked" in body
    assert QUESTION in body


def test_another_partner_sees_nothing_of_it(
    returned: ChangeStory, client_as: Callable[[str], Client]
) -> None:
    body = client_as("partner2").get("/", follow=True).content.decode()
    assert QUESTION not in body
    assert "returned to you" not in body


def test_the_partner_and_the_storyteller_are_told_by_mail_without_the_story_or_question(
    returned: ChangeStory, world: World
) -> None:
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.users["partner"].email, "maria@example.org"])
    for message in mail.outbox:
        assert returned.reference in message.subject
        text = f"{message.subject} {message.body}"
        for words in (QUESTION, returned.title, returned.narrative, world.alpha.name):
            assert words not in text
    to_partner = next(m for m in mail.outbox if m.to == [world.users["partner"].email])
    assert reverse("story-detail", args=[returned.pk]) in to_partner.body
    notice = StoryNotice.objects.get(story=returned)
    assert notice.sent_at is not None and notice.recipients == 2


def test_a_selected_story_is_told_in_each_readers_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=world.users["partner"].pk).update(language="es")
    story = world.alpha_story
    with django_capture_on_commit_callbacks(execute=False):
        services.story_review(
            actor=world.users["staff"], story=story, action="selected", comment="Clear and new."
        )
    _worker_runs()
    (message,) = mail.outbox
    assert message.subject.startswith(f"La historia {story.reference}")


def test_a_notice_that_cannot_be_sent_waits_for_the_sweep(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.progress.test_returned.FailingBackend"
    story = world.alpha_story
    story.status = ChangeStory.Status.SUBMITTED
    story.save()
    with pytest.raises(ConnectionRefusedError):
        _return(world, story, django_capture_on_commit_callbacks)
    # The review itself went through: the failure is the mail's, not the reviewer's.
    story.refresh_from_db()
    assert story.status == ChangeStory.Status.RETURNED
    notice = StoryNotice.objects.get(story=story)
    assert notice.sent_at is None and notice.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices.notices_send() == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notices.notices_send() == 0  # sent once, never twice


class FailingBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_the_story_form_starts_in_the_interface_language(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    body = client.get(reverse("story-create")).content.decode()
    assert '<option value="es" selected>' in body


def test_the_language_chosen_follows_the_person_to_another_browser(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("partner").post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert User.objects.get(pk=world.users["partner"].pk).language == "sv"
    # A new session, with no language cookie: the saved choice applies.
    body = client_as("partner").get(reverse("story-list")).content.decode()
    assert 'lang="sv"' in body


def test_members_see_no_review_trail(
    world: World, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    story = world.alpha_story
    with django_capture_on_commit_callbacks(execute=True):
        services.story_review(
            actor=world.users["staff"],
            story=story,
            action="selected",
            comment="Chosen because the committee changed its rules.",
        )
    member = client_as("member").get(reverse("story-detail", args=[story.pk]))
    assert member.status_code == 200
    body = member.content.decode()
    assert "Chosen because the committee" not in body
    assert 'data-testid="story-history"' not in body
    partner = client_as("partner").get(reverse("story-detail", args=[story.pk]))
    assert "Chosen because the committee" in partner.content.decode()
