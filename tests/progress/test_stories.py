"""The story workflow: draft, submit, return with a question, answer, verify, select."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from progress.models import ChangeStory, ChangeType, StoryEvent, Storyteller
from tests import factories
from tests.form_data import story_form_data

Status = ChangeStory.Status


def _story_form(world: World, **overrides: Any) -> dict[str, Any]:
    return story_form_data(world, **overrides)


def test_it_saves_a_half_written_draft(world: World, client_as: Callable[[str], Client]) -> None:
    data = _story_form(
        world,
        submit=None,
        save="draft",
        event_date=None,
        significance=None,
        who_changed=None,
        contribution=None,
        change_types=None,
        consent_store=None,
    )
    response = client_as("partner").post(reverse("story-create"), data)
    story = ChangeStory.objects.get(title="The water committee listens")
    assert response["Location"] == reverse("story-detail", args=[story.pk])
    assert story.status == Status.DRAFT
    assert story.submitted_by == world.users["partner"]
    assert list(story.events.values_list("action", flat=True)) == ["created"]


def test_it_makes_one_story_of_a_double_submit(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    data = _story_form(world)
    first = client.post(reverse("story-create"), data)
    second = client.post(reverse("story-create"), data)
    assert first["Location"] == second["Location"]
    assert ChangeStory.objects.filter(title="The water committee listens").count() == 1


def test_it_refuses_to_submit_without_the_assessment_and_keeps_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    data = _story_form(world, significance=None, change_types=None, consent_store=None)
    response = client_as("partner").post(reverse("story-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Needed before the story can be submitted." in body
    assert "consent" in body
    assert not ChangeStory.objects.filter(title="The water committee listens").exists()


def test_it_keeps_the_storyteller_apart_from_the_story(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("partner").post(reverse("story-create"), _story_form(world))
    story = ChangeStory.objects.get(title="The water committee listens")
    assert Storyteller.objects.get(story=story).name == "María"
    assert "María" not in story.narrative
    # A network member who may read the verified story never sees who told it.
    story.status = Status.VERIFIED
    story.save()
    body = client_as("member").get(reverse("story-detail", args=[story.pk])).content.decode()
    assert "María" not in body


def test_it_keeps_partner_users_to_their_own_organisation(
    world: World, client_as: Callable[[str], Client]
) -> None:
    data = _story_form(world, partner=world.beta.pk, project=world.beta_project.pk)
    response = client_as("partner").post(reverse("story-create"), data)
    assert response.status_code == 200
    assert not ChangeStory.objects.filter(title="The water committee listens").exists()


def test_it_walks_the_whole_review_loop(world: World, client_as: Callable[[str], Client]) -> None:
    partner, staff = client_as("partner"), client_as("staff")
    partner.post(reverse("story-create"), _story_form(world))
    story = ChangeStory.objects.get(title="The water committee listens")
    review = reverse("story-review", args=[story.pk])

    # A question is required to return a story.
    staff.post(review, {"action": "returned", "comment": ""})
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    staff.post(review, {"action": "returned", "comment": "How many women were elected?"})
    story.refresh_from_db()
    assert story.status == Status.RETURNED

    detail = partner.get(reverse("story-detail", args=[story.pk])).content.decode()
    assert "How many women were elected?" in detail
    answer = _story_form(world, narrative=story.narrative + " Two women were elected.")
    answer.pop("form_token")
    partner.post(reverse("story-edit", args=[story.pk]), answer)
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED

    staff.post(review, {"action": "verified"})
    staff.post(review, {"action": "selected", "comment": ""})
    story.refresh_from_db()
    assert story.status == Status.VERIFIED  # reasons are required to select
    staff.post(
        review, {"action": "selected", "comment": "The first seat won by women in ten years."}
    )
    story.refresh_from_db()
    assert story.status == Status.SELECTED

    history = list(
        story.events.values_list("action", "from_status", "to_status", "actor__username")
    )
    assert history == [
        ("created", "", "submitted", "partner"),
        ("submitted", "draft", "submitted", "partner"),
        ("returned", "submitted", "returned", "staff"),
        ("resubmitted", "returned", "submitted", "partner"),
        ("verified", "submitted", "verified", "staff"),
        ("selected", "verified", "selected", "staff"),
    ]
    assert story.events.get(action="selected").comment.startswith("The first seat")


def test_it_stops_editing_once_submitted(world: World, client_as: Callable[[str], Client]) -> None:
    url = reverse("story-edit", args=[world.alpha_story.pk])  # verified
    assert client_as("partner").get(url).status_code == 404


@pytest.mark.parametrize("role", ["partner", "partner2", "member"])
def test_it_lets_only_staff_review(
    world: World, client_as: Callable[[str], Client], role: str
) -> None:
    story = factories.StoryFactory.create(partner=world.alpha, status=Status.SUBMITTED)
    response = client_as(role).post(
        reverse("story-review", args=[story.pk]), {"action": "verified"}
    )
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED


def test_it_hides_confidential_stories_from_officer_review(
    world: World, client_as: Callable[[str], Client]
) -> None:
    world.hidden_story.status = Status.SUBMITTED
    world.hidden_story.save()
    url = reverse("story-review", args=[world.hidden_story.pk])
    assert client_as("officer").post(url, {"action": "verified"}).status_code == 404


def test_it_refuses_an_impossible_transition_with_a_message(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("story-review", args=[world.alpha_story.pk])  # verified
    response = client_as("staff").post(url, {"action": "verified"}, follow=True)
    assert "cannot be changed that way" in response.content.decode()


def test_it_records_comments_in_the_history(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client_as("staff").post(
        reverse("story-comment", args=[world.alpha_story.pk]), {"comment": "Lovely."}
    )
    assert StoryEvent.objects.get(story=world.alpha_story, action="commented").comment == "Lovely."


def test_it_erases_a_story_whose_consent_is_withdrawn(
    world: World, client_as: Callable[[str], Client]
) -> None:
    story = world.alpha_story
    Storyteller.objects.create(story=story, name="María")
    client_as("partner").post(reverse("story-withdraw-consent", args=[story.pk]))
    story.refresh_from_db()
    assert story.narrative == "" and story.consent_withdrawn_at is not None
    assert not Storyteller.objects.filter(story=story).exists()
    assert story.change_types.count() == story.change_types.count()  # classification kept
    assert story.events.last().action == "consent_withdrawn"  # type: ignore[union-attr]


def test_it_deletes_a_draft_whose_consent_is_withdrawn(
    world: World, client_as: Callable[[str], Client]
) -> None:
    draft = factories.StoryFactory.create(
        partner=world.alpha, status=Status.DRAFT, consent_store=False
    )
    client_as("partner").post(reverse("story-withdraw-consent", args=[draft.pk]))
    assert not ChangeStory.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "verified"}, {"Story of Frente de Mujeres Alfa", "Story of Sindicato Beta"}),
        ({"partner": "BETA"}, {"Story of Sindicato Beta"}),
        ({"q": "water committee"}, {"Story of Frente de Mujeres Alfa", "Story of Sindicato Beta"}),
        ({"country": "CO"}, {"Story of Sindicato Beta"}),
        ({"event_date_after": "2027-01-01"}, set()),
        ({"change_type": "CT"}, {"Story of Frente de Mujeres Alfa"}),
    ],
)
def test_it_filters_the_story_list(
    world: World, client_as: Callable[[str], Client], query: dict[str, str], expected: set[str]
) -> None:
    if query.get("partner") == "BETA":
        query = {"partner": str(world.beta.pk)}
    if query.get("change_type") == "CT":
        change_type = ChangeType.objects.get(code="other")
        world.alpha_story.change_types.add(change_type)
        world.hidden_story.change_types.add(change_type)
        query = {"change_type": str(change_type.pk)}
    response = client_as("officer").get(reverse("story-list"), query)
    titles = {story.title for story in response.context["page"]}
    assert titles == expected


def test_it_lists_stories_in_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("staff")
    url = reverse("story-list")
    # Session, user, OTP device; the choice lists of country, change type, programme, partner
    # and target group; the count; the page; the change types of the page's stories.
    with django_assert_num_queries(11):
        client.get(url)
    change_type = ChangeType.objects.get(code="other")
    for _ in range(40):
        factories.StoryFactory.create(partner=world.beta).change_types.add(change_type)
    with django_assert_num_queries(11):
        client.get(url)


def test_it_stops_counting_at_the_cap_and_says_so(
    world: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    factories.StoryFactory.create(partner=world.alpha, country="GT")
    factories.StoryFactory.create(partner=world.alpha, country="GT")
    body = client_as("staff").get(reverse("story-list"), {"country": "GT"}).content.decode()
    assert "More than 2 stories" in body
    body = client_as("staff").get(reverse("story-list"), {"country": "CO"}).content.decode()
    assert "1 story" in body
