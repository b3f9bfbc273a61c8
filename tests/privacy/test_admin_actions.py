"""Only administrators export or erase personal data; staff who use the admin do not even see
the actions, and everyone else does not get into the admin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from conftest import ROLES, World, login
from portal.models import User
from progress.models import Storyteller
from tests.privacy.common import NAME, changelist, run_action, told_story

ACTIONS = ("export_personal_data", "erase_personal_data")
ADMIN_ONLY_STAFF = ("staff", "officer")
OUTSIDERS = tuple(role for role in ROLES if role not in ("admin", *ADMIN_ONLY_STAFF))


def _nothing_happened(world: World, storyteller: Storyteller) -> None:
    assert Storyteller.objects.filter(pk=storyteller.pk, name=NAME).exists()
    assert User.objects.filter(pk=world.users["member"].pk, is_active=True).exists()
    assert not LogEntry.objects.filter(additional_data__has_key="privacy_duty").exists()


def test_it_offers_the_actions_to_administrators(
    world: World, client_as: Callable[[str], Client]
) -> None:
    told_story(world.alpha)
    client = client_as("admin")
    for model in (User, Storyteller):
        body = client.get(changelist(model)).content.decode()
        for action in ACTIONS:
            assert f'value="{action}"' in body, f"{action} missing on {model.__name__}"
    # A storyteller is erased with their words, never deleted on their own.
    assert 'value="delete_selected"' not in client.get(changelist(Storyteller)).content.decode()


@pytest.mark.parametrize("role", ADMIN_ONLY_STAFF)
def test_it_hides_and_refuses_the_actions_to_staff(
    world: World,
    client_as: Callable[[str], Client],
    role: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    storyteller = told_story(world.alpha)
    client = client_as(role)
    # Staff may list the storytellers of the stories they see, without the actions.
    body = client.get(changelist(Storyteller)).content.decode()
    assert NAME in body
    assert not [action for action in ACTIONS if action in body]
    # The users' list is not theirs at all.
    assert client.get(changelist(User)).status_code == 403

    checks = 0
    for action in ACTIONS:
        for confirm in (False, True):
            response = run_action(client, Storyteller, action, [storyteller], confirm=confirm)
            # With no action on offer, the post is only a request for the list.
            assert response.status_code == 200, (action, confirm)
            assert response["Content-Type"].startswith("text/html")
            assert "This cannot be undone" not in response.content.decode()
            response = run_action(client, User, action, [world.users["member"]], confirm=confirm)
            assert response.status_code == 403, (action, confirm)
            checks += 2
    _nothing_happened(world, storyteller)
    with capsys.disabled():
        print(f"\n{role}: {checks} action posts refused")


@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_it_keeps_everyone_else_out(world: World, role: str) -> None:
    storyteller = told_story(world.alpha)
    client = Client() if role == "anonymous" else login(Client(), world.users[role])
    for model, subject in ((Storyteller, storyteller), (User, world.users["member"])):
        for action in ACTIONS:
            response = run_action(client, model, action, [subject], confirm=True)
            assert response.status_code == 302
            assert response["Location"].startswith((reverse("admin:login"), reverse("login")))
    _nothing_happened(world, storyteller)


def test_it_shows_officers_no_storyteller_of_a_confidential_partner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    told_story(world.hidden)
    Storyteller.objects.create(story=world.alpha_story, name="Visible Teller")
    body = client_as("officer").get(changelist(Storyteller)).content.decode()
    assert "Visible Teller" in body
    assert NAME not in body
    assert NAME in client_as("staff").get(changelist(Storyteller)).content.decode()


def test_it_keeps_the_audit_log_to_administrators(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = changelist(LogEntry)
    assert client_as("admin").get(url).status_code == 200
    for role in ADMIN_ONLY_STAFF:
        assert client_as(role).get(url).status_code == 403, role
