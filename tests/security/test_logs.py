"""Log lines carry ids, never a story's words, a storyteller or a confidential partner's name."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from progress.models import ChangeStory
from tests.form_data import story_form_data

NARRATIVE = "Tonight the clandestine assembly in Izmir elected Ayşe as its delegate."


def test_it_keeps_story_text_and_names_out_of_the_logs(
    world: World, client_as: Callable[[str], Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_client, staff = client_as("secret"), client_as("staff")
    data = story_form_data(
        world,
        partner=world.hidden.pk,
        project=world.hidden_project.pk,
        country="TR",
        title="The assembly elects a delegate",
        narrative=NARRATIVE,
        locality="Izmir",
        storyteller_name="Ayşe Demir",
        storyteller_contact="ayse@example.org",
    )
    assert secret_client.post(reverse("story-create"), data).status_code == 302
    story = ChangeStory.objects.get(title="The assembly elects a delegate")
    review = reverse("story-review", args=[story.pk])
    staff.post(review, {"action": "returned", "comment": "Is Ayşe safe being named?"})
    # A refused login and a wrong code are logged too: with ids only.
    Client().post(reverse("login"), {"username": "secret", "password": "Hidden Rainbow Union"})
    client_as("officer").get(reverse("partner-detail", args=[world.hidden.pk]))
    secret_client.post(reverse("story-withdraw-consent", args=[story.pk]))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in (
        NARRATIVE,
        "Izmir",
        "Ayşe",
        "ayse@example.org",
        "Hidden Rainbow Union",
        "The assembly elects a delegate",
        "Is Ayşe safe",
    ):
        assert secret not in logged, f"{secret!r} reached the logs"
