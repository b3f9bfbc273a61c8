"""A newsletter in the browser (issue #14, "Done when"): staff write one to a network, read it as
it will be received, send it, and find it in the sent log and in the test mail outbox; the
member who receives it stops newsletters with the mail's one-click link."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from conftest import World
from mailings.models import MailPreference
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")


def test_staff_send_a_newsletter_and_find_it_in_the_sent_log(
    live_server: object, world: World, browser: Browser
) -> None:
    member = world.users["member"]
    MailPreference.objects.create(user=member, newsletters=True)
    base_url = str(live_server)
    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/mail/newsletters/")
    staff.get_by_role("link", name="Write a newsletter").first.click()
    staff.locator("#id_audience").select_option("network")
    staff.locator("#id_network").select_option(str(world.network.pk))
    staff.locator("#id_subject").fill("Spring news")
    staff.locator("#id_body").fill(
        "Dear members,\n\nThe women's group **won** a seat on the water committee.\n\n"
        "- the annual meeting is on 14 March\n- a study circle starts in April"
    )
    screenshot(staff, "newsletter-written")
    staff.get_by_role("button", name="Save the draft").click()
    expect(staff.get_by_test_id("preview").locator("strong")).to_have_text("won")
    expect(staff.get_by_test_id("reaches")).to_contain_text("It reaches 1 person")
    screenshot(staff, "newsletter-draft")
    staff.get_by_role("button", name="Send it now").click()
    expect(staff.get_by_test_id("deliveries")).to_contain_text("sent")
    screenshot(staff, "newsletter-sent")
    staff.goto(f"{base_url}/mail/newsletters/")
    expect(staff.get_by_test_id("sent-log")).to_contain_text("Spring news")
    screenshot(staff, "newsletter-log")

    (message,) = mail.outbox
    assert message.to == [member.email] and message.subject == "Spring news"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe.split("/", 3)[3]
    reader = browser.new_page()
    reader.goto(f"{base_url}/{path}")
    reader.get_by_role("button", name="Stop them").click()
    expect(reader.get_by_test_id("unsubscribed")).to_be_visible()
    screenshot(reader, "newsletter-unsubscribed")
    assert not MailPreference.objects.get(user=member).newsletters
