"""A partner dialogue as staff and the partner live it (issue #12): staff hold it and agree two
actions; the partner confirms the notes, sees the actions on its page and marks one done."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from conftest import World
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_staff_hold_a_dialogue_and_the_partner_confirms_it(
    live_server: object, world: World, browser: Browser
) -> None:
    base_url = str(live_server)
    today = dt.date.today()
    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/partners/{world.alpha.pk}/")
    staff.get_by_role("link", name="Hold a dialogue").click()
    staff.get_by_label("Held on").fill(today.isoformat())
    staff.get_by_label("Format").select_option("visit")
    staff.get_by_label("Notes").fill("We agreed on a revised budget and a trainer.")
    staff.locator('[name="actions-0-description"]').fill("Send the revised budget")
    staff.locator('[name="actions-0-due_on"]').fill((today + dt.timedelta(days=5)).isoformat())
    staff.locator('[name="actions-1-description"]').fill("Find a trainer")
    staff.locator('[name="actions-1-due_on"]').fill((today + dt.timedelta(days=30)).isoformat())
    staff.locator('[name="actions-1-owner"]').select_option(str(world.users["staff"].pk))
    screenshot(staff, "dialogue-hold")
    staff.get_by_role("button", name="Save").click()
    actions = staff.get_by_test_id("dialogue-actions")
    expect(actions).to_contain_text("Send the revised budget")
    expect(actions).to_contain_text("Find a trainer")
    dialogue_url = staff.url

    partner = _logged_in(browser, base_url, "partner")
    expect(partner.get_by_test_id("partner-actions-due")).to_contain_text("Send the revised budget")
    partner.goto(dialogue_url)
    partner.get_by_test_id("confirm-notes").click()
    expect(partner.get_by_test_id("notes-confirmed")).to_be_visible()
    partner.get_by_role("button", name="Mark as done").first.click()
    expect(partner.get_by_test_id("dialogue-actions")).to_contain_text("Done")
    partner.get_by_label("Your comment").fill("The trainer may come from the university.")
    partner.get_by_role("button", name="Add your comment").click()
    expect(partner.get_by_test_id("dialogue-comments")).to_contain_text("university")
    screenshot(partner, "dialogue-confirmed")
