"""A story returned with a question, as the partner meets it: on its landing page, in the answer
form and in its mailbox (issue #10)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from conftest import World
from progress.models import ChangeStory
from tests.e2e.conftest import screenshot
from tests.e2e.test_story_loop import _logged_in, _review

pytestmark = pytest.mark.usefixtures("transactional_db", "default_taxonomy")

QUESTION = "Which village was it, and how many women were elected?"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_partner_finds_the_question_on_its_landing_page_and_in_the_answer_form(
    live_server: object, world: World, browser: Browser, width: int
) -> None:
    base_url = str(live_server)
    story = world.alpha_story
    ChangeStory.objects.filter(pk=story.pk).update(status=ChangeStory.Status.SUBMITTED)

    staff = _logged_in(browser, base_url, "staff")
    staff.goto(f"{base_url}/stories/{story.pk}/")
    _review(staff, "Return with a question", QUESTION)
    expect(staff.get_by_test_id("story-status")).to_have_text("Returned with a question")
    # The notice went by mail (the test backend's outbox), after the review's commit.
    (notice,) = mail.outbox
    assert notice.to == [world.users["partner"].email]
    assert story.reference in notice.subject and QUESTION not in notice.body

    partner = _logged_in(browser, base_url, "partner")
    partner.set_viewport_size({"width": width, "height": 900})
    returned = partner.get_by_test_id("returned-stories")
    expect(returned).to_contain_text("1 story was returned to you with a question")
    expect(returned).to_contain_text(QUESTION)
    screenshot(partner, f"returned-story-landing-{width}")
    returned.get_by_role("link", name="Answer and resubmit").click()
    expect(partner.get_by_test_id("returned-question")).to_contain_text(QUESTION)
    screenshot(partner, f"returned-story-answer-form-{width}")
