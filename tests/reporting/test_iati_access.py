"""The IATI 2.03 activity file over the small test world: who may download it, and no secrets."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import World
from programs.models import Program, Project
from progress.models import ChangeStory
from reporting import iati
from tests.reporting.test_iati import schema_dir


def test_it_serves_the_file_to_staff_officers_and_admins(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("iati-export")
    for role in ("admin", "staff", "officer"):
        response = client_as(role).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/xml"
        assert response["Content-Disposition"] == 'attachment; filename="iati-activities.xml"'
        assert response["Cache-Control"] == "no-store"
        body = response.content.decode()
        assert world.program.title in body
        assert world.alpha.name in body
        assert world.hidden.name not in body
        assert world.hidden_project.title not in body
        assert world.hidden_story.title not in body


def test_it_hides_the_file_from_partners_and_members(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("iati-export")
    for role in ("partner", "partner2", "secret", "member"):
        assert client_as(role).get(url).status_code == 404, role
    assert client_as("staff").post(url).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(world: World) -> None:
    response = Client().get(reverse("iati-export"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_links_the_file_for_staff_only(world: World, client_as: Callable[[str], Client]) -> None:
    url = reverse("iati-export")
    assert url in client_as("officer").get(reverse("program-list")).content.decode()
    assert url not in client_as("partner").get(reverse("program-list")).content.decode()


def test_it_validates_the_small_world_file(world: World) -> None:
    tree = iati.build_activities(
        programs=Program.objects.all(),
        projects=Project.objects.select_related("partner"),
        stories=ChangeStory.objects.select_related("partner"),
    )
    text = iati.to_bytes(tree).decode()
    assert world.hidden.name not in text and world.hidden_project.title not in text
    assert iati.validate(tree, schema_dir()) == []
