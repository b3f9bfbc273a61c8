"""The self-assessment as a partner lives it (issue #12): last year's round is in; the partner
starts this year's, saves half of it, comes back, submits, and sees what changed."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from conftest import World
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_a_partner_fills_the_self_assessment_and_sees_the_change_since_last_round(
    live_server: object, world: World, browser: Browser
) -> None:
    base_url = str(live_server)
    questionnaire = factories.make_questionnaire(dimensions=2, statements=2)
    last_year = dt.date.today().year - 1
    factories.make_assessment(
        partner=world.alpha,
        questionnaire=questionnaire,
        year=last_year,
        scores={"d1": [2], "d2": [4]},
    )
    partner = _logged_in(browser, base_url, "partner")
    partner.goto(f"{base_url}/assessments/")
    partner.get_by_role("button", name="Start this period's self-assessment").click()
    expect(partner.get_by_test_id("assessment-progress")).to_contain_text("0 of 4")

    statements = partner.locator("fieldset fieldset")
    # Dimension 1 improves (2 → 4); dimension 2 falls (4 → 3).
    statements.nth(0).get_by_label("4", exact=True).check()
    partner.get_by_role("button", name="Save and continue later").click()
    expect(partner.get_by_test_id("assessment-progress")).to_contain_text("1 of 4")
    # Submitting with open statements: each says so, nothing is lost.
    partner.get_by_role("button", name="Submit", exact=True).click()
    expect(partner.locator("[data-error-summary]")).to_be_visible()
    expect(statements.nth(0).get_by_label("4", exact=True)).to_be_checked()
    screenshot(partner, "self-assessment-errors")
    statements.nth(1).get_by_label("4", exact=True).check()
    statements.nth(2).get_by_label("3", exact=True).check()
    statements.nth(3).get_by_label("3", exact=True).check()
    partner.get_by_role("button", name="Submit", exact=True).click()

    changes = partner.get_by_test_id("assessment-changes")
    expect(changes.locator("tr[data-direction='up']")).to_contain_text("Dimension 1")
    expect(changes.locator("tr[data-direction='down']")).to_contain_text("Dimension 2")
    screenshot(partner, "self-assessment-results")
    partner.set_viewport_size({"width": 390, "height": 844})
    screenshot(partner, "self-assessment-results-390")
    # The partner's own page shows the two rounds side by side.
    partner.goto(f"{base_url}/")
    expect(partner.get_by_test_id("partner-assessment")).to_contain_text("Dimension 1")
