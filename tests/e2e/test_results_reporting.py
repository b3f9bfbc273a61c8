"""Reporting actuals as the partner and staff live it (issue #13): on a phone, the partner enters
a year's figures with a story as evidence and submits them; staff return the report with a
question, the partner answers and resubmits, staff approve, and the programme's results page
counts the figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import World
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in
from tests.factories import PASSWORD
from tests.results import builders

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")

PHONE = {"width": 390, "height": 844}


def _on_phone(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale="en-GB").new_page()  # type: ignore[arg-type]
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_partner_reports_staff_return_and_approve(
    live_server: object, world: World, browser: Browser
) -> None:
    base_url = str(live_server)
    framework = builders.report_framework(world)
    trained, _share, _voice = framework.periods()
    url = f"{base_url}/projects/{world.alpha_project.pk}/results/2025/"

    partner = _on_phone(browser, base_url, "partner")
    partner.goto(f"{base_url}/projects/{world.alpha_project.pk}/results/")
    partner.get_by_test_id("project-reports").get_by_role("link", name="2025").click()
    assert partner.url == url
    partner.get_by_label("People trained: Total, value").fill("10")
    partner.get_by_label("People trained: Women, value").fill("6")
    partner.get_by_label("People trained: Men, value").fill("3")
    partner.get_by_label("Groups led by a woman: Total, numerator").fill("3")
    partner.get_by_label("Groups led by a woman: Total, denominator").fill("4")
    partner.get_by_label("What was achieved").fill("Women speak first in the council now.")
    partner.locator(f'[name="p{trained.pk}-stories"]').fill(world.alpha_story.reference)
    partner.get_by_role("button", name="Submit for review").click()
    # The parts (9) miss the total (10): the summary says so and nothing is submitted.
    summary = partner.locator("#error-summary")
    expect(summary).to_contain_text("The parts add up to 9; the total is 10")
    assert partner.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(partner, "result-report-parts-error")
    partner.get_by_label("People trained: Men, value").fill("4")
    partner.get_by_role("button", name="Submit for review").click()
    expect(partner.get_by_test_id("report-status")).to_have_text("submitted")
    expect(partner.get_by_test_id("report-history")).to_contain_text("Submitted")
    screenshot(partner, "result-report-submitted")

    staff = _logged_in(browser, base_url, "staff")
    expect(staff.get_by_test_id("reports-waiting")).to_contain_text(world.alpha_project.title)
    staff.get_by_test_id("reports-waiting").get_by_role("link").first.click()
    expect(staff.get_by_text(world.alpha_story.reference)).to_be_visible()
    staff.get_by_label("Question or comment").fill("Were the men counted twice?")
    staff.get_by_role("button", name="Return with a question").click()
    expect(staff.get_by_test_id("report-status")).to_have_text("returned with a question")

    partner.goto(f"{base_url}/partners/{world.alpha.pk}/")
    partner.get_by_test_id("reports-due").get_by_role("link").first.click()
    expect(partner.get_by_test_id("report-question")).to_contain_text("counted twice")
    partner.get_by_label("Your answer to the question").fill("No: each was counted once.")
    screenshot(partner, "result-report-returned")
    partner.get_by_role("button", name="Answer and resubmit").click()
    expect(partner.get_by_test_id("report-status")).to_have_text("submitted")

    staff.goto(url)
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_test_id("report-status")).to_have_text("approved")
    history = staff.get_by_test_id("report-history")
    for step in ("Submitted", "Returned with a question", "Answered and resubmitted", "Approved"):
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("No: each was counted once.")
    screenshot(staff, "result-report-approved")
    staff.goto(f"{base_url}/programmes/{world.program.pk}/results/")
    expect(staff.locator("body")).to_contain_text("75.0 % (3/4)")
    screenshot(staff, "result-report-rolled-up")
