"""The activity list as staff read it."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from conftest import World
from tests import factories


def test_it_lists_activities_held_without_a_project(
    world: World, client_as: Callable[[str], Client]
) -> None:
    # The demo plans hold activities of a partner outside any project, and activities of the
    # Swedish side itself (no partner at all): the list showed a server error for both.
    factories.ActivityFactory.create(project=None, partner=world.alpha, title="Union school")
    factories.ActivityFactory.create(project=None, partner=None, title="Board study day")
    response = client_as("staff").get("/activities/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Union school" in html and world.alpha.name in html
    assert "Board study day" in html and "No partner" in html
