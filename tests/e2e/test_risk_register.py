"""The risk register in the browser (issue #12, "Done when"): staff reassess a risk and see the
heat map change; an officer sees the confidential partner's risk only as a count; a partner's
user reads and comments on a risk shared with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import World
from risks.models import Risk
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def _register(world: World) -> tuple[Risk, Risk]:
    shared = factories.RiskFactory.create(
        partner=world.alpha,
        project=world.alpha_project,
        title="Candidates threatened before the elections",
        category="political",
        likelihood=3,
        impact=3,
        owner=world.users["officer"],
        shared_with_partner=True,
    )
    hidden = factories.RiskFactory.create(
        partner=world.hidden,
        project=world.hidden_project,
        title="Organisers exposed in Izmir",
        description="Payment records name the organisers in Izmir.",
        category="security",
        likelihood=5,
        impact=5,
        owner=world.users["staff"],
    )
    return shared, hidden


def _cell(page: Page, likelihood: int, impact: int) -> str:
    return page.locator(f'td[data-cell="{likelihood}-{impact}"]').inner_text()


def test_staff_reassess_a_risk_and_the_heat_map_changes(
    live_server: object, world: World, browser: Browser
) -> None:
    shared, _hidden = _register(world)
    base_url = str(live_server)
    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/risks/heat-map/")
    assert (_cell(staff, 3, 3), _cell(staff, 4, 3), _cell(staff, 5, 5)) == ("1", "0", "1")
    screenshot(staff, "risk-heat-map-before")
    staff.goto(f"{base_url}/risks/{shared.pk}/reassess/")
    staff.get_by_label("Likelihood").select_option("4")
    staff.get_by_label("What changed").fill("A candidate was attacked at a rally.")
    staff.get_by_role("button", name="Record the reassessment").click()
    expect(staff.get_by_test_id("risk-score")).to_contain_text("12")
    expect(staff.get_by_test_id("risk-history")).to_contain_text("9 → 12")
    screenshot(staff, "risk-reassessed")
    staff.goto(f"{base_url}/risks/heat-map/")
    assert (_cell(staff, 3, 3), _cell(staff, 4, 3)) == ("0", "1")
    screenshot(staff, "risk-heat-map-after")


def test_an_officer_sees_no_text_of_the_confidential_partners_risks(
    live_server: object, world: World, browser: Browser
) -> None:
    _shared, hidden = _register(world)
    base_url = str(live_server)
    officer = _logged_in(browser, base_url, "officer")
    for path in ("/risks/heat-map/", "/risks/", "/risks/?category=security", "/"):
        officer.goto(f"{base_url}{path}")
        body = officer.content()
        for word in ("Izmir", world.hidden.name, world.hidden.pseudonym, hidden.title):
            assert word not in body, f"{word!r} on {path}"
    officer.goto(f"{base_url}/risks/heat-map/")
    # Not in the grid (its cell would be its score), counted by region and category, and
    # said to be counted; the register lists nothing of it.
    assert _cell(officer, 5, 5) == "0"
    expect(officer.get_by_test_id("heat-not-listed")).to_be_visible()
    screenshot(officer, "risk-heat-map-officer")
    officer.goto(f"{base_url}/risks/?status=open&likelihood=5&impact=5")
    expect(officer.get_by_test_id("result-count")).to_contain_text("0 risks")
    response = officer.goto(f"{base_url}/risks/{hidden.pk}/")
    assert response is not None and response.status == 404


def test_a_partner_reads_and_comments_on_a_shared_risk(
    live_server: object, world: World, browser: Browser
) -> None:
    shared, _hidden = _register(world)
    base_url = str(live_server)
    partner = _logged_in(browser, base_url, "partner")
    partner.goto(f"{base_url}/risks/")
    partner.get_by_role("link", name=shared.title).click()
    partner.get_by_label("Your comment").fill("Our candidates now travel in pairs.")
    partner.get_by_role("button", name="Add the comment").click()
    expect(partner.get_by_test_id("risk-comments")).to_contain_text("travel in pairs")
    screenshot(partner, "risk-partner-comment")
