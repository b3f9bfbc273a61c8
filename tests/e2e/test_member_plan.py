"""A member organisation keeps its plan in the browser (issue #14, "Done when"): plan a
training, record it held with its participants, and see its follow-up turn "done"; then open
"what your support made possible" and find no confidential partner named."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from conftest import World
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_a_member_plans_a_training_records_it_held_and_sees_it_done(
    live_server: object, world: World, browser: Browser
) -> None:
    today = dt.date.today()
    base_url = str(live_server)
    member = _logged_in(browser, base_url, "member")
    member.goto(f"{base_url}/plans/")
    member.get_by_role("link", name="New plan").click()
    member.locator("#id_title").fill("Our branch's year")
    member.locator("#id_year").fill(str(today.year))
    member.get_by_role("button", name="Save").click()

    member.get_by_role("link", name="Add a planned activity").click()
    member.locator("#id_kind").select_option("training")
    member.locator("#id_title").fill("Training in internal feminism")
    member.locator("#id_target_count").fill("1")
    member.locator("#id_format").select_option("in_person")
    member.get_by_role("button", name="Save").click()
    item = member.get_by_test_id("plan-items").locator("tr[data-item]")
    expect(item).to_have_attribute("data-status", "on_track")
    screenshot(member, "member-plan-planned")

    member.get_by_role("link", name="Record an activity held").click()
    member.locator("#id_planned").select_option(label="Training in internal feminism")
    member.locator("#id_title").fill("Internal feminism, first evening")
    member.locator("#id_kind").select_option("training")
    member.locator("#id_date").fill(today.isoformat())
    member.locator("#id_place").fill("Västerås")
    member.locator("#id_format").select_option("in_person")
    member.locator("#id_participants_women").fill("14")
    member.locator("#id_participants_men").fill("6")
    member.locator("#id_participants_youth").fill("5")
    screenshot(member, "member-plan-held-form")
    member.get_by_role("button", name="Save").click()
    expect(item).to_have_attribute("data-status", "done")
    expect(item).to_contain_text("20 participants")
    screenshot(member, "member-plan-done")

    member.goto(f"{base_url}/reports/support/")
    body = member.content()
    for secret in (world.hidden.name, world.hidden.pseudonym, world.hidden_story.title, "Izmir"):
        assert secret not in body
    screenshot(member, "member-support")
