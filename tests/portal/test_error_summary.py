"""A form sent back with errors starts with a summary that links each error to its field.

The browser walk (tests/e2e/walk.py) checks the same on every form in Chromium, focus
included; these tests pin the markup and the rules of the summary without a browser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django import forms
from django.test import Client
from django.utils import timezone

from conftest import World
from portal.templatetags.portal_forms import SummaryItem, summary_items
from progress.models import SubmissionLink

SUMMARY = re.compile(r'<div class="alert alert-danger error-summary".*?</div>', re.S)


def _summary(html: str) -> str:
    match = SUMMARY.search(html)
    assert match, "no error summary on the page"
    return match.group(0)


def _targets(summary: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', summary)


def _assert_every_target_is_a_control(html: str, targets: list[str]) -> None:
    for target in targets:
        assert re.search(rf'<(input|select|textarea)[^>]* id="{re.escape(target)}"', html), target


def test_it_summarises_the_story_form_with_a_link_to_each_field(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("partner").post("/stories/new/", {"submit": "submit"})
    assert response.status_code == 200
    html = response.content.decode()
    summary = _summary(html)
    targets = _targets(summary)
    # A text field by its id; a group of radio buttons by its first button.
    assert "id_title" in targets and "id_who_changed_0" in targets
    _assert_every_target_is_a_control(html, targets)
    assert "A short title — This field is required." in summary
    assert re.search(r"<title>Error: ", html)
    # Before the page's heading: the first thing on a phone's first screen.
    assert html.index('id="error-summary"') < html.index("<h1")


def test_a_fresh_form_has_no_summary(world: World, client_as: Callable[[str], Client]) -> None:
    html = client_as("partner").get("/stories/new/").content.decode()
    assert "error-summary" not in html
    assert not re.search(r"<title>Error: ", html)


def test_a_storyteller_gets_the_summary_in_spanish(world: World) -> None:
    link = SubmissionLink.objects.create(
        label="Asamblea",
        partner=world.alpha,
        created_by=world.users["partner"],
        expires_at=timezone.now() + dt.timedelta(days=7),
        max_uses=10,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    html = client.post(f"/s/{link.token}/", {}).content.decode()
    summary = _summary(html)
    assert "Corrige estos" in summary
    _assert_every_target_is_a_control(html, _targets(summary))


def test_a_list_whose_filter_has_an_error_says_so(
    world: World, client_as: Callable[[str], Client]
) -> None:
    html = client_as("staff").get("/stories/", {"event_date_after": "2025-02-30"}).content.decode()
    summary = _summary(html)
    # The date range's first input, which now has a label of its own.
    assert _targets(summary) == ["id_event_date_0"]
    assert '<label class="form-label small mb-1" for="id_event_date_0">From</label>' in html
    assert '<label class="form-label small mb-1" for="id_event_date_1">To</label>' in html
    assert re.search(r"<title>Error: ", html)


class _Form(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label="Name")

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("The whole form is wrong.")


def test_errors_about_the_whole_form_or_a_hidden_field_are_listed_without_a_link() -> None:
    form = _Form(data={"name": ""})
    assert summary_items(form) == [
        SummaryItem("The whole form is wrong."),
        SummaryItem("This field is required."),
        SummaryItem("Name — This field is required.", "id_name"),
    ]
