"""The dialogues' pages: holding one with its actions, the partner's confirmation and comments,
the sections on the partner page and the dashboard, the brief; and their query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from dialogues.models import AgreedAction, Dialogue
from tests import factories

TODAY = dt.date.today()


def _form(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "partner": world.alpha.pk,
        "held_on": TODAY.isoformat(),
        "format": "visit",
        "project": world.alpha_project.pk,
        "staff_participants": [world.users["staff"].pk],
        "partner_participants": [world.users["partner"].pk],
        "other_participants": "Ana López\nJuan Pérez",
        "agenda": "1. Activities\n2. Budget",
        "notes": "We agreed on two things.",
        "story_references": world.alpha_story.reference,
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "Send the revised budget",
        "actions-0-due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
        "actions-0-owner": "partner",
        "actions-1-description": "Find a trainer for the youth wing",
        "actions-1-due_on": (TODAY + dt.timedelta(days=30)).isoformat(),
        "actions-1-owner": str(world.users["staff"].pk),
        "actions-2-owner": "partner",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_staff_hold_a_dialogue_and_agree_two_actions(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    chooser = client.get(reverse("dialogue-create"))
    assert world.alpha.name in chooser.content.decode()
    form = client.get(reverse("dialogue-create"), {"partner": world.alpha.pk})
    assert 'name="actions-1-description"' in form.content.decode()
    response = client.post(reverse("dialogue-create"), _form(world))
    dialogue = Dialogue.objects.get()
    assert response["Location"] == reverse("dialogue-detail", args=[dialogue.pk])
    assert dialogue.partner == world.alpha and dialogue.project == world.alpha_project
    assert dialogue.actions.count() == 2
    assert list(dialogue.stories.all()) == [world.alpha_story]
    body = client.get(response["Location"]).content.decode()
    assert "Send the revised budget" in body and "Ana López" in body
    assert world.alpha_story.title in body


def test_the_form_lists_every_error_at_the_top_and_saves_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("staff")
    response = client.post(
        reverse("dialogue-create"),
        _form(world, held_on="not a date", **{"actions-1-due_on": ""}),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in body
    assert "Action 2" in body
    assert not Dialogue.objects.exists() and not AgreedAction.objects.exists()
    response = client.post(reverse("dialogue-create"), _form(world, story_references="S-NOPE"))
    assert "S-NOPE" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_a_foreign_or_hidden_partner_cannot_be_chosen(
    world: World, client_as: Callable[[str], Client]
) -> None:
    officer = client_as("officer")
    assert officer.get(reverse("dialogue-create"), {"partner": world.hidden.pk}).status_code == 404
    assert officer.get(reverse("dialogue-create"), {"partner": "x"}).status_code == 404
    response = officer.post(reverse("dialogue-create"), _form(world, partner=world.hidden.pk))
    assert response.status_code == 404
    assert world.hidden.name not in officer.get(reverse("dialogue-create")).content.decode()


def test_the_partner_confirms_the_notes_and_comments(
    world: World, client_as: Callable[[str], Client]
) -> None:
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    client = client_as("partner")
    detail = reverse("dialogue-detail", args=[dialogue.pk])
    assert 'data-testid="confirm-notes"' in client.get(detail).content.decode()
    client.post(reverse("dialogue-confirm", args=[dialogue.pk]))
    dialogue.refresh_from_db()
    assert dialogue.notes_confirmed_by == world.users["partner"]
    response = client.post(reverse("dialogue-comment", args=[dialogue.pk]), {"text": "Thanks"})
    assert response["Location"] == detail
    empty = client.post(reverse("dialogue-comment", args=[dialogue.pk]), {"text": ""})
    assert 'id="error-summary"' in empty.content.decode()
    assert dialogue.comments.count() == 1


def test_the_status_form_asks_for_a_reason_to_drop(
    world: World, client_as: Callable[[str], Client]
) -> None:
    action = factories.AgreedActionFactory.create(dialogue__partner=world.alpha)
    client = client_as("staff")
    url = reverse("action-status", args=[action.pk])
    response = client.post(url, {"status": "dropped", "reason": ""})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    action.refresh_from_db()
    assert action.is_open
    response = client.post(url, {"status": "nonsense"})
    assert response.status_code == 200
    response = client.post(url, {"status": "dropped", "reason": "Not needed"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "dropped"
    # The partner's user may mark done only: another status is not among its choices, and the
    # page says so (a form error, not a 404 on an action it can see).
    other = factories.AgreedActionFactory.create(dialogue=action.dialogue)
    partner = client_as("partner")
    url = reverse("action-status", args=[other.pk])
    refused = partner.post(url, {"status": "dropped", "reason": "x"})
    assert refused.status_code == 200 and "data-error-summary" in refused.content.decode()
    other.refresh_from_db()
    assert other.status == "open"
    assert partner.post(url, {"status": "done"}).status_code == 302


def test_the_list_filters_by_partner_and_status(
    world: World, client_as: Callable[[str], Client]
) -> None:
    awaiting = factories.DialogueFactory.create(partner=world.alpha)
    factories.DialogueFactory.create(partner=world.beta, notes="")
    client = client_as("staff")
    url = reverse("dialogue-list")
    page = client.get(url, {"partner": world.alpha.pk}).context["page"]
    assert [d.pk for d in page] == [awaiting.pk]
    page = client.get(url, {"status": "awaiting"}).context["page"]
    assert [d.pk for d in page] == [awaiting.pk]
    assert client.get(url, {"partner": "nonsense"}).status_code == 200
    partner_page = client_as("partner").get(url)
    assert [d.pk for d in partner_page.context["page"]] == [awaiting.pk]
    assert 'name="partner"' not in partner_page.content.decode()


def test_the_partner_page_and_dashboard_show_what_is_due(
    world: World, client_as: Callable[[str], Client]
) -> None:
    staff = world.users["staff"]
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    factories.AgreedActionFactory.create(
        dialogue=dialogue, description="Partner overdue task", due_on=TODAY - dt.timedelta(3)
    )
    factories.AgreedActionFactory.create(
        dialogue=dialogue,
        description="Staff task soon",
        owner_is_partner=False,
        owner_user=staff,
        due_on=TODAY + dt.timedelta(3),
    )
    factories.AgreedActionFactory.create(
        dialogue=dialogue,
        description="Staff task later",
        owner_is_partner=False,
        owner_user=staff,
        due_on=TODAY + dt.timedelta(40),
    )
    partner_page = client_as("partner").get(reverse("partner-detail", args=[world.alpha.pk]))
    body = partner_page.content.decode()
    assert 'data-testid="partner-actions-due"' in body
    lead = body.split('data-testid="partner-actions-due"')[1].split("</section>")[0]
    assert "Partner overdue task" in lead and "Staff task" not in lead
    assert "Overdue" in lead
    staff_page = client_as("staff").get(reverse("partner-detail", args=[world.alpha.pk])).content
    assert reverse("dialogue-brief", args=[world.alpha.pk]) in staff_page.decode()
    assert 'data-testid="partner-actions-due"' not in staff_page.decode()
    dashboard = client_as("staff").get(reverse("dashboard")).content.decode()
    mine = dashboard.split('data-testid="my-actions-due"')[1].split("</section>")[0]
    assert "Staff task soon" in mine and "later" not in mine and "Partner overdue" not in mine
    member = client_as("member").get(reverse("partner-detail", args=[world.alpha.pk]))
    assert 'data-testid="partner-dialogues"' not in member.content.decode()


def test_the_brief_gathers_what_to_read_before_the_next_dialogue(
    world: World, client_as: Callable[[str], Client]
) -> None:
    earlier = factories.DialogueFactory.create(
        partner=world.alpha, held_on=TODAY - dt.timedelta(days=200), notes="Old notes"
    )
    factories.AgreedActionFactory.create(dialogue=earlier, description="Still open from before")
    last = factories.DialogueFactory.create(
        partner=world.alpha, held_on=TODAY - dt.timedelta(days=60), notes="The last notes"
    )
    factories.AgreedActionFactory.create(dialogue=last, description="Agreed last time")
    recent = factories.StoryFactory.create(
        partner=world.alpha, title="A recent story", event_date=TODAY - dt.timedelta(days=10)
    )
    factories.ActivityFactory.create(
        project=world.alpha_project, title="A recent training", date=TODAY - dt.timedelta(30)
    )
    response = client_as("staff").get(reverse("dialogue-brief", args=[world.alpha.pk]))
    body = response.content.decode()
    assert "The last notes" in body and "Old notes" not in body
    assert "Still open from before" in body and "Agreed last time" in body
    assert recent.title in body and world.alpha_story.title not in body  # told before
    assert "A recent training" in body
    stylesheet = Path(settings.BASE_DIR, "static", "dialogues", "brief.css")
    assert "@media print" in stylesheet.read_text()
    assert "dialogues/brief.css" in body
    assert "data-print" in body


def test_the_brief_shows_the_risks_and_the_self_assessment_as_the_reader_may_see_them(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """The risk register and the self-assessment add their parts (portal.sections); an officer
    never opens a confidential partner's brief at all."""
    factories.RiskFactory.create(partner=world.alpha, title="Office lease ends")
    questionnaire = factories.make_questionnaire(dimensions=1, statements=1)
    for year, score in ((2024, 2), (2025, 4)):
        factories.make_assessment(
            partner=world.alpha, questionnaire=questionnaire, year=year, scores={"d1": [score]}
        )
    body = client_as("officer").get(reverse("dialogue-brief", args=[world.alpha.pk]))
    text = body.content.decode()
    assert "Office lease ends" in text
    assert 'data-testid="partner-assessment"' in text and "Dimension 1" in text
    factories.RiskFactory.create(partner=world.hidden, title="Secret exposure")
    hidden = client_as("officer").get(reverse("dialogue-brief", args=[world.hidden.pk]))
    assert hidden.status_code == 404
    cleared = client_as("staff").get(reverse("dialogue-brief", args=[world.hidden.pk]))
    assert "Secret exposure" in cleared.content.decode()


def _many(world: World, count: int) -> None:
    """``count`` dialogues with the partner, each with two actions and a comment, participants
    and a story."""
    staff, partner_user = world.users["staff"], world.users["partner"]
    for index in range(count):
        dialogue = factories.DialogueFactory.create(
            partner=world.alpha, held_on=TODAY - dt.timedelta(days=index)
        )
        dialogue.staff_participants.add(staff)
        dialogue.partner_participants.add(partner_user)
        dialogue.stories.add(world.alpha_story)
        factories.AgreedActionFactory.create(dialogue=dialogue, due_on=TODAY)
        factories.AgreedActionFactory.create(
            dialogue=dialogue, owner_is_partner=False, owner_user=staff, due_on=TODAY
        )
        factories.DialogueCommentFactory.create(dialogue=dialogue, author=partner_user)


# Each page's queries, the same for 2 and for 12 dialogues (rows of each kind). The session and
# the user are two queries of every logged-in page (the second factor's device a third for
# cleared staff).
@pytest.mark.parametrize("count", [2, 12])
def test_the_query_counts_stay_the_same_as_dialogues_grow(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    _many(world, count)
    staff, partner = client_as("staff"), client_as("partner")
    dialogue = Dialogue.objects.order_by("-held_on", "-pk").first()
    assert dialogue is not None
    # session, user, device; count and page of the dialogues; the partner choices
    with django_assert_num_queries(6):
        staff.get(reverse("dialogue-list"))
    # session, user; count and page
    with django_assert_num_queries(4):
        partner.get(reverse("dialogue-list"))
    # session, user, device; the dialogue; its actions, staff and partner participants,
    # stories, comments; the risks discussed and the partner's others to note (risks' section)
    with django_assert_num_queries(11):
        staff.get(reverse("dialogue-detail", args=[dialogue.pk]))
    # session, user, device; partner; last dialogue, its actions, open actions, stories,
    # activities; the partner's open risks; its self-assessment rounds (none here: one query)
    with django_assert_num_queries(11):
        staff.get(reverse("dialogue-brief", args=[world.alpha.pk]))
    # The partner page as the partner's user and the staff dashboard, whole: pinned so that
    # the sections added here stay flat.
    with django_assert_num_queries(PARTNER_PAGE_QUERIES):
        partner.get(reverse("partner-detail", args=[world.alpha.pk]))
    with django_assert_num_queries(DASHBOARD_QUERIES):
        staff.get(reverse("dashboard"))


# Of these, the dialogues' sections add three on the partner page (the latest dialogues, the
# open actions, and for the partner's users the actions they owe soon) and one on the dashboard
# (this person's actions due); the risk register one on each (the partner's risks, the
# person's reviews due); the self-assessments' section two on the partner page for its users
# (their rounds, and whether this period's is submitted); the latest activities one; the
# results reports one on each (the spans the partner's users owe, none here; the reports waiting
# for this person's review); the plans' follow-up one on the dashboard (how often each of the
# year's planned items was held).
PARTNER_PAGE_QUERIES = 14
DASHBOARD_QUERIES = 16
