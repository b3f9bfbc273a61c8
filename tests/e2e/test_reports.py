"""The report as staff, an officer and a network member see it, with its click-through."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect

from conftest import World
from progress.models import ChangeStory, ChangeType
from reporting import aggregates
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def _stories(world: World) -> None:
    types = list(ChangeType.objects.order_by("ordering"))
    for index in range(24):
        partner = (world.alpha, world.beta, world.hidden)[index % 3]
        story = factories.StoryFactory.create(
            partner=partner,
            program=world.program,
            event_date=dt.date(2025, 1 + index % 12, 3),
            significance=1 + index % 5,
        )
        story.change_types.add(types[index % len(types)])
    aggregates.rebuild_all()


def test_staff_follow_a_chart_to_its_stories_and_rebuild_the_figures(
    live_server: object, world: World, browser: Browser
) -> None:
    _stories(world)
    base_url = str(live_server)
    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/reports/")
    expect(staff.get_by_test_id("figures-as-of")).to_contain_text("Figures as of")
    expect(staff.locator("svg.chart").first).to_be_visible()
    screenshot(staff, "report-staff")
    # A bar of the country chart is a link to the stories behind it.
    staff.locator("#countries svg a").first.click()
    expect(staff).to_have_url(re.compile(r"/stories/\?.*counted=1"))
    shown = staff.get_by_test_id("result-count").inner_text()
    assert shown.split()[0].isdigit() and int(shown.split()[0]) > 0
    staff.goto(f"{base_url}/reports/rebuild/")
    staff.get_by_role("button", name="Recompute all figures").click()
    expect(staff.get_by_test_id("rebuild-state")).to_contain_text("Done")
    expect(staff.get_by_test_id("rebuild-progress")).to_have_attribute("value", "100")
    screenshot(staff, "report-rebuild-done")


def test_an_officer_and_a_member_see_what_their_roles_allow(
    live_server: object, world: World, browser: Browser
) -> None:
    _stories(world)
    ChangeStory.objects.filter(partner=world.beta).update(consent_quote_internal=True)
    base_url = str(live_server)
    officer = _logged_in(browser, base_url, "officer")
    officer.goto(f"{base_url}/reports/")
    expect(officer.get_by_test_id("pseudonym-note")).to_be_visible()
    expect(officer.locator("#partners")).to_contain_text(world.hidden.pseudonym)
    expect(officer.locator("body")).not_to_contain_text(world.hidden.name)
    screenshot(officer, "report-officer")
    member = _logged_in(browser, base_url, "member")
    member.goto(f"{base_url}/reports/")
    expect(member.get_by_test_id("suppression-note")).to_be_visible()
    expect(member.locator("body")).not_to_contain_text(world.hidden.pseudonym)
    screenshot(member, "report-member")


def test_staff_see_the_activity_list_and_can_move_their_authenticator(
    live_server: object, world: World, browser: Browser
) -> None:
    for day in (3, 17):
        factories.ActivityFactory.create(
            project=world.alpha_project, date=dt.date(2025, 5, day), place="Quetzaltenango"
        )
    base_url = str(live_server)
    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/activities/")
    expect(staff.get_by_test_id("result-count")).to_have_text("2 activities")
    screenshot(staff, "activity-list")
    staff.get_by_role("link", name="Authenticator").click()
    expect(staff.get_by_test_id("otp-secret")).to_be_visible()
    expect(staff.get_by_label("Your password")).to_be_visible()
    screenshot(staff, "authenticator-replace")
