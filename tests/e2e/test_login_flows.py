"""A person's first minutes in the portal, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/accounts/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_it_lets_cleared_staff_in_with_the_code_and_shows_the_dashboard(
    live_server: object, world: World, page: Page
) -> None:
    base_url = str(live_server)
    _log_in(page, base_url, "staff")
    expect(page.get_by_role("heading", name="One-time code")).to_be_visible()
    screenshot(page, "staff-one-time-code")
    page.get_by_label("Code from your authenticator app").fill(current_code())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_test_id("partners-active")).to_have_text("3")
    screenshot(page, "staff-dashboard")
    page.get_by_role("link", name="Partners", exact=True).click()
    expect(page.get_by_text("Hidden Rainbow Union")).to_be_visible()
    screenshot(page, "staff-partner-list")


def test_it_shows_a_partner_user_only_its_own_organisation(
    live_server: object, world: World, page: Page
) -> None:
    base_url = str(live_server)
    _log_in(page, base_url, "partner")
    expect(page.get_by_role("heading", name="Frente de Mujeres Alfa")).to_be_visible()
    screenshot(page, "partner-own-organisation")
    page.goto(f"{base_url}/partners/")
    expect(page.get_by_test_id("result-count")).to_have_text("1 partner")
    expect(page.get_by_text("Sindicato Beta")).to_have_count(0)
    expect(page.get_by_text("Hidden Rainbow Union")).to_have_count(0)
    screenshot(page, "partner-partner-list")
    response = page.goto(f"{base_url}/partners/{world.beta.pk}/")
    assert response is not None and response.status == 404
    screenshot(page, "partner-foreign-partner-404")


def test_it_switches_the_login_page_to_swedish(
    live_server: object, world: World, page: Page
) -> None:
    base_url = str(live_server)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    screenshot(page, "login-swedish")
