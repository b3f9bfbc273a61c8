"""What stays in view on a phone and on a wide screen: the key column, the status, the newest
figures of the report (issue #10 items 3 and 6), on the demo data."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.e2e.conftest import DemoSite, screenshot
from tests.e2e.walk import log_in

OpenAs = Callable[[str, int], Page]


@pytest.fixture
def open_as(browser: Browser, demo_site: DemoSite) -> Iterator[OpenAs]:
    contexts = []

    def open_page(username: str, width: int) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        log_in(page, demo_site, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _in_view(locator: Locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_story_list_keeps_title_and_status_in_view_on_a_phone(
    open_as: OpenAs, demo_site: DemoSite
) -> None:
    page = open_as("partner", 390)
    page.goto(f"{demo_site.base_url}/stories/")
    table = page.locator(".table-keyed").first
    assert _in_view(table.get_by_role("columnheader", name="Story"), 390)
    assert _in_view(table.get_by_role("columnheader", name="Status"), 390)
    # The other columns scroll inside the table's box; the story's title stays where it was.
    first_title = table.locator("tbody tr td").first
    before = first_title.bounding_box()
    table.evaluate("box => { box.scrollLeft = box.scrollWidth }")
    assert first_title.bounding_box() == before
    assert _in_view(table.get_by_role("columnheader", name="Happened"), 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "story-list-scrolled-390")


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_the_report_shows_the_total_and_the_newest_periods_without_scrolling(
    open_as: OpenAs, demo_site: DemoSite, width: int
) -> None:
    page = open_as("officer", width)
    page.goto(f"{demo_site.base_url}/reports/")
    table = page.locator("#types-over-time table")
    headers = table.locator("thead th")
    assert headers.nth(1).inner_text() == "Total"
    # The total and the latest period are in view where the page opens, on every width.
    for column in (0, 1, 2):
        assert _in_view(headers.nth(column), width), headers.nth(column).inner_text()
    if width >= 1366:
        # On a wide screen the whole table fits: nothing hides behind a sideways scroll.
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    screenshot(page, f"report-over-time-{width}")
