"""The Progress Tracker's review loop, as the partner and the reviewer live it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import World
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def _logged_in(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if "/accounts/login/code/" in page.url:
        page.get_by_label("Code from your authenticator app").fill(current_code())
        page.get_by_role("button", name="Verify").click()
    return page


def _review(page: Page, action: str, comment: str = "") -> None:
    if comment:
        page.get_by_label("Question, reasons or note").fill(comment)
    page.get_by_role("button", name=action).click()


def test_it_takes_a_story_from_draft_to_most_significant(
    live_server: object, world: World, browser: Browser
) -> None:
    base_url = str(live_server)
    partner = _logged_in(browser, base_url, "partner")
    partner.goto(f"{base_url}/stories/new/")
    partner.get_by_label("A short title").fill("The water committee listens")
    partner.get_by_label("What happened?").fill(
        "In March the women's group won a seat on the village water committee."
    )
    screenshot(partner, "story-form-narrative-first")
    partner.get_by_role("button", name="Save draft").click()
    expect(partner.get_by_test_id("story-status")).to_have_text("Draft")

    partner.get_by_role("link", name="Edit").click()
    partner.get_by_label("When did it happen?").fill("2026-03-14")
    partner.get_by_label("Participation in decision-making").check()
    partner.get_by_label("A group").check()
    partner.get_by_label("Women", exact=True).check()
    partner.get_by_label("4", exact=True).check()
    partner.get_by_label("Some", exact=True).check()
    partner.get_by_label("The storyteller agrees that the story is kept (required)").check()
    screenshot(partner, "story-form-assessment")
    partner.get_by_role("button", name="Submit for review").click()
    expect(partner.get_by_test_id("story-status")).to_have_text("Submitted")
    story_url = partner.url

    staff = _logged_in(browser, base_url, "staff")
    staff.goto(story_url)
    _review(staff, "Return with a question", "How many women were elected?")
    expect(staff.get_by_test_id("story-status")).to_have_text("Returned with a question")

    partner.goto(story_url)
    expect(partner.get_by_test_id("story-history")).to_contain_text("How many women were elected?")
    screenshot(partner, "story-returned-with-question")
    partner.get_by_role("link", name="Answer and resubmit").click()
    narrative = partner.get_by_label("What happened?")
    narrative.fill(narrative.input_value() + " Two women were elected.")
    partner.get_by_role("button", name="Submit for review").click()
    expect(partner.get_by_test_id("story-status")).to_have_text("Submitted")

    staff.goto(story_url)
    _review(staff, "Verify")
    expect(staff.get_by_test_id("story-status")).to_have_text("Verified")
    _review(staff, "Select as most significant", "The first seat won by women in ten years.")
    expect(staff.get_by_test_id("story-status")).to_have_text("Most significant")
    history = staff.get_by_test_id("story-history")
    for step in (
        "Created",
        "Submitted",
        "Returned with a question",
        "Answered and resubmitted",
        "Verified",
        "Selected as most significant",
        "The first seat won by women in ten years.",
    ):
        expect(history).to_contain_text(step)
    screenshot(staff, "story-selected-with-history")
