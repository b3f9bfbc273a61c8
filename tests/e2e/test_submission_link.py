"""A rights-holder without an account tells a story through a partner's link, in Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from progress import links
from progress.models import ChangeStory
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_it_takes_a_story_from_a_visitor_without_an_account(
    live_server: object, world: World, page: Page
) -> None:
    link = links.link_create(
        actor=world.users["partner"],
        partner=world.alpha,
        project=None,
        label="Women's assembly in Quetzaltenango",
        days=14,
        max_uses=20,
    )
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": str(live_server)}])
    page.goto(f"{live_server}/s/{link.token}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, "link-public-form-spanish")
    assert "Frente de Mujeres Alfa" not in page.content()
    page.locator("#id_title").fill("El comité de agua nos escucha")
    page.locator("#id_narrative").fill("En marzo, el grupo de mujeres ganó un puesto en el comité.")
    page.locator("#id_event_date").fill("2026-03-14")
    page.locator("input[name=change_types]").first.check()
    page.locator("input[name=who_changed][value=group]").check()
    page.locator("input[name=significance][value='4']").check()
    page.locator("input[name=contribution][value=some]").check()
    page.locator("#id_consent_store").check()
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{live_server}/s/{link.token}/thanks/")
    screenshot(page, "link-thanks-spanish")
    story = ChangeStory.objects.get(submission_link=link)
    assert story.status == ChangeStory.Status.SUBMITTED
    assert story.partner == world.alpha
