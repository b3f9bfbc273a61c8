"""The contributions ledger in the browser (issue #14, "Done when"): a member organisation's user
reports a workplace collection, which waits for staff and counts nowhere yet; staff confirm it
and it counts in the member's totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from conftest import World
from solidarity.models import Contribution
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_a_member_reports_a_collection_and_staff_confirm_it(
    live_server: object, world: World, browser: Browser
) -> None:
    ours = world.users["member"].member_organisation
    today = dt.date.today()
    factories.ContributionFactory.create(
        member_organisation=ours,
        kind=Contribution.Kind.ONE_OFF_GIFT,
        amount_sek=Decimal(1000),
        network=world.network,
        date=today.replace(day=1),
    )
    base_url = str(live_server)
    member = _logged_in(browser, base_url, "member")
    member.goto(f"{base_url}/contributions/")
    expect(member.get_by_test_id("received-sek")).to_have_text("1,000")
    member.get_by_role("link", name="Report a collection or a study circle").click()
    member.get_by_label("Kind").select_option("collection")
    member.get_by_label("Date").fill(today.isoformat())
    member.get_by_label("Amount (SEK)").fill("2450")
    member.get_by_label("Network").select_option(str(world.network.pk))
    member.get_by_label("Note").fill("Collected at the spring meeting")
    screenshot(member, "contribution-report-filled")
    member.get_by_role("button", name="Save").click()
    expect(member.get_by_test_id("waiting")).to_contain_text("Collected at the spring meeting")
    expect(member.get_by_test_id("received-sek")).to_have_text("1,000")  # not yet counted
    screenshot(member, "contribution-reported")

    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/contributions/")
    waiting = staff.get_by_test_id("waiting")
    expect(waiting).to_contain_text(str(ours))
    waiting.get_by_role("button", name="Confirm").click()
    expect(staff.get_by_test_id("waiting")).to_have_count(0)
    screenshot(staff, "contribution-confirmed")

    member.goto(f"{base_url}/contributions/")
    expect(member.get_by_test_id("received-sek")).to_have_text("3,450")
    member.set_viewport_size({"width": 390, "height": 900})
    screenshot(member, "contributions-phone")
