"""The dialogues in the Django admin: scoped like the pages, writing through the services, and a
mistake in a form is a form error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from dialogues.models import AgreedAction, Dialogue
from tests import factories


def test_the_admin_refuses_an_action_that_mixes_partners_or_a_hidden_owner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    beta_dialogue = factories.DialogueFactory.create(partner=world.beta)
    client = client_as("staff")
    url = reverse("admin:dialogues_agreedaction_add")
    data = {
        "partner": world.alpha.pk,
        "dialogue": beta_dialogue.pk,
        "description": "Mixed up",
        "due_on": dt.date.today().isoformat(),
        "status": "dropped",
        "drop_reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "another partner" in body and "Say why the action is dropped." in body
    hidden = {**data, "partner": world.hidden.pk, "dialogue": "", "status": "open"}
    hidden["owner_user"] = world.users["officer"].pk
    response = client.post(url, hidden)
    assert response.status_code == 200
    assert "staff who may see this partner" in response.content.decode()
    assert not AgreedAction.objects.exists()
    good = {**data, "dialogue": "", "status": "open", "owner_user": world.users["staff"].pk}
    assert client.post(url, good).status_code == 302
    action = AgreedAction.objects.get()
    assert not action.owner_is_partner


def test_the_officer_s_admin_lists_no_confidential_dialogue(
    world: World, client_as: Callable[[str], Client]
) -> None:
    hidden = factories.DialogueFactory.create(partner=world.hidden)
    rows = {
        "dialogue": hidden,
        "agreedaction": factories.AgreedActionFactory.create(dialogue=hidden),
        "dialoguecomment": factories.DialogueCommentFactory.create(dialogue=hidden),
    }
    officer, staff = client_as("officer"), client_as("staff")
    for model, row in rows.items():
        changelist = reverse(f"admin:dialogues_{model}_changelist")
        change = reverse(f"admin:dialogues_{model}_change", args=[row.pk])
        listed = officer.get(changelist)
        assert listed.status_code == 200
        assert change not in listed.content.decode(), model
        assert change in staff.get(changelist).content.decode(), model
    opened = officer.get(reverse("admin:dialogues_dialogue_change", args=[hidden.pk]))
    assert opened.status_code in (302, 404)
    assert (
        staff.get(reverse("admin:dialogues_dialogue_change", args=[hidden.pk])).status_code == 200
    )


def test_editing_the_notes_in_the_admin_asks_the_partner_again(
    world: World, client_as: Callable[[str], Client]
) -> None:
    from django.utils import timezone

    dialogue = factories.DialogueFactory.create(
        partner=world.alpha,
        notes_confirmed_by=world.users["partner"],
        notes_confirmed_at=timezone.now(),
    )
    client = client_as("staff")
    url = reverse("admin:dialogues_dialogue_change", args=[dialogue.pk])
    data = {
        "partner": world.alpha.pk,
        "project": "",
        "held_on": dialogue.held_on.isoformat(),
        "format": dialogue.format,
        "other_participants": "",
        "agenda": dialogue.agenda,
        "notes": "Other words",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dialogue = Dialogue.objects.get(pk=dialogue.pk)
    assert dialogue.notes == "Other words" and dialogue.notes_confirmed_at is None


def test_the_admin_offers_staff_only_as_an_actions_owner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """A confidential partner's user could name the partner: never in an owner list."""
    body = client_as("officer").get(reverse("admin:dialogues_agreedaction_add")).content.decode()
    assert f">{world.users['staff'].username}<" in body or world.users["staff"].username in body
    for username in ("secret", "partner", "partner2", "member"):
        assert f">{username}<" not in body
