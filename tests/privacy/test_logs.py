"""No story text, storyteller or user name reaches a log record during an export or erasure."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.test import Client

from conftest import World
from portal.models import User
from progress.models import Storyteller
from tests.privacy.common import SECRETS, run_action, told_story


def test_it_keeps_personal_data_out_of_the_logs(
    world: World,
    client_as: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    partner = world.users["partner"]
    partner.first_name, partner.last_name = "Lucía", "Gómez"
    partner.save()
    kept, erased = told_story(world.hidden), told_story(world.alpha)
    admin = client_as("admin")
    caplog.set_level(logging.DEBUG)

    exports = ((User, [partner]), (Storyteller, [kept, erased]))
    for model, subjects in exports:
        response = run_action(admin, model, "export_personal_data", subjects, confirm=False)
        assert response.status_code == 200
    run_action(admin, Storyteller, "erase_personal_data", [erased], confirm=True)
    run_action(admin, User, "erase_personal_data", [partner], confirm=True)

    messages = [record.getMessage() for record in caplog.records]
    privacy_lines = [message for message in messages if message.startswith("privacy.")]
    assert len(privacy_lines) == 5, privacy_lines  # three exports, two erasures
    logged = "\n".join(messages)
    words = (*SECRETS, "Lucía", "Gómez", partner.email, "Hidden Rainbow Union", "username=")
    leaks = [word for word in words if word in logged]
    assert not leaks, f"reached the logs: {leaks}"
    with capsys.disabled():
        print(f"\nlogs: {len(messages)} records searched for {len(words)} words")
