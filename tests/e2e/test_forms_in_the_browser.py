"""The story form on a phone, as a partner meets it: errors, focus, controls, no JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import DemoSite, screenshot
from tests.e2e.walk import log_in

PHONE: ViewportSize = {"width": 390, "height": 844}


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def story_form(browser: Browser, demo_site: DemoSite) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    log_in(page, demo_site, "partner")
    page.goto(f"{demo_site.base_url}/stories/new/")
    yield page
    context.close()


def test_form_controls_stand_out_from_the_page(story_form: Page) -> None:
    # WCAG 1.4.11 asks 3:1 for what identifies a control; axe-core does not check borders.
    background = story_form.evaluate("getComputedStyle(document.body).backgroundColor")
    for selector in ("input[type=checkbox]", "input[type=radio]", "input[type=text]", "select"):
        border = story_form.locator(f"form.story-form {selector}").first.evaluate(
            "element => getComputedStyle(element).borderTopColor"
        )
        assert _contrast(border, background) >= 3, f"{selector}: {border} on {background}"


def test_a_failed_submit_starts_with_the_errors_and_each_link_reaches_its_field(
    story_form: Page,
) -> None:
    story_form.get_by_label("A short title").fill("Half a story")
    story_form.get_by_role("button", name="Submit for review").click()
    summary = story_form.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(story_form).to_have_title(re.compile(r"^Error: "))
    screenshot(story_form, "story-form-errors-focused")
    summary.get_by_role("link", name=re.compile(r"^Who or what changed\?")).click()
    expect(story_form.locator("#id_who_changed_0")).to_be_focused()
    expect(story_form.locator("#id_who_changed_0")).to_be_in_viewport()
    # What was typed is still there.
    expect(story_form.get_by_label("A short title")).to_have_value("Half a story")


def test_without_javascript_the_form_still_sends_and_shows_its_errors(
    browser: Browser, demo_site: DemoSite
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, demo_site, "partner")
        page.goto(f"{demo_site.base_url}/stories/new/")
        page.get_by_role("button", name="Submit for review").click()
        # No script to move the focus: the summary is simply the first thing on the page.
        expect(page.locator("#error-summary")).to_be_in_viewport()
        # The menu opens without a script too.
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        context.close()
