"""Bad-input corpus: every payload in every filter parameter and form field, no server errors.

Each payload of ``tests/security/payloads.py`` is pushed into the GET parameters of the list
pages and into the fields of the story form, the public submission-link form, the login form
and the one-time-code form. A request must never fail with a server error; a form must either
refuse the input with a message or store it, and what is stored must be shown escaped.

The requests run in plain loops over one client per role rather than as parametrised cases:
thousands of cases each building the fixture world would take minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import World
from progress.models import ChangeStory, SubmissionLink
from risks.models import Risk
from tests import factories
from tests.factories import PASSWORD
from tests.form_data import public_story_data, story_form_data
from tests.security.payloads import FILES, PAYLOADS

LIST_PARAMETERS: dict[str, tuple[str, ...]] = {
    "partner-list": ("q", "country", "kind", "status", "page"),
    "story-list": (
        "q",
        "status",
        "change_type",
        "country",
        "program",
        "focus_area",
        "partner",
        "target_group",
        "submitter_role",
        "event_date_after",
        "event_date_before",
        "page",
    ),
    "program-list": ("focus_area",),
    "assessment-home": ("page",),
    "assessment-distribution": ("period", "region", "program"),
    "dialogue-list": ("partner", "status", "page"),
    "risk-list": (
        "partner",
        "category",
        "status",
        "review",
        "region",
        "program",
        "likelihood",
        "impact",
        "page",
    ),
    "risk-heat-map": ("region", "category", "program"),
    "funder-dependence": ("funder",),
    "contribution-list": (
        "start",
        "end",
        "network",
        "program",
        "kind",
        "status",
        "member_organisation",
        "page",
    ),
}
# Read by hand-written code rather than by a form field: also tried alone.
SINGLE_PARAMETERS = ("q", "page")
TEXT_FIELDS = (
    "title",
    "narrative",
    "locality",
    "significance_reason",
    "contribution_text",
    "storyteller_name",
    "storyteller_contact",
)
CHOICE_FIELDS = (
    "event_date",
    "significance",
    "who_changed",
    "contribution",
    "language",
    "country",
    "change_types",
    "target_groups",
    "project",
)
# The public form has no country or project: the link decides them.
LINK_CHOICE_FIELDS = tuple(f for f in CHOICE_FIELDS if f not in {"country", "project"})
# Every n-th payload goes into every choice field; the rest are spread over the fields in turn.
# Choice fields refuse or accept by the same code path whatever the text, so a sample suffices.
CHOICE_SAMPLE_EVERY = 10


class Counter:
    """Requests made, for the figures printed at the end of each test."""

    requests = 0


def _check(response: Any, what: str) -> Any:
    Counter.requests += 1
    assert response.status_code < 500, f"server error for {what}"
    return response


def _unescaped(payload: str, body: str) -> bool:
    """Whether a payload with markup appears raw in a page."""
    return "<" in payload and payload in body


def _report(capsys: pytest.CaptureFixture[str], what: str, payloads: int, before: int) -> None:
    with capsys.disabled():
        print(
            f"\nbad-input corpus ({what}): {payloads} payloads, "
            f"{Counter.requests - before} requests, 0 server errors"
        )


def _choices_for(index: int, fields: tuple[str, ...]) -> Iterator[str]:
    if index % CHOICE_SAMPLE_EVERY == 0:
        yield from fields
    else:
        yield fields[index % len(fields)]


# --- Filter and search parameters -----------------------------------------------------------------


def test_it_survives_every_payload_in_every_filter_parameter(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each payload in all parameters at once, as staff and as an officer; and alone in the
    parameters read by hand-written code (the search method, the page number).

    django-filter drops an invalid parameter and still applies the valid ones, so the combined
    request reaches every filter as the single ones would, at a fraction of the requests.
    """
    before = Counter.requests
    clients = {role: client_as(role) for role in ("staff", "officer")}
    for name, parameters in LIST_PARAMETERS.items():
        url = reverse(name)
        for label, payload in PAYLOADS:
            queries = [(role, dict.fromkeys(parameters, payload)) for role in clients]
            queries += [("staff", {p: payload}) for p in parameters if p in SINGLE_PARAMETERS]
            for role, query in queries:
                what = f"{name}?{sorted(query)}={label} as {role}"
                response = _check(clients[role].get(url, query), what)
                assert not _unescaped(payload, response.content.decode()), what
    _report(capsys, "filters", len(PAYLOADS), before)


# --- The story form -------------------------------------------------------------------------------


def _story_form(world: World, **overrides: Any) -> dict[str, Any]:
    return story_form_data(world, **overrides)


def _refused_or_stored(client: Client, response: Any, payload: str, what: str) -> bool:
    """A refusal with a message, or a redirect whose story shows the payload escaped.

    Returns whether the payload was stored.
    """
    if response.status_code == 302:
        location = response["Location"]
        if "/stories/" in location:
            page = _check(client.get(location), f"detail after {what}")
            assert page.status_code == 200, what
            assert not _unescaped(payload, page.content.decode()), what
        return True
    assert response.status_code == 200, what
    body = response.content.decode()
    assert "invalid-feedback" in body or "alert-danger" in body, f"no message for {what}"
    assert not _unescaped(payload, body), what
    return False


def test_it_refuses_or_escapes_every_payload_in_the_story_form(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    client = client_as("partner")
    url = reverse("story-create")
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        # Every text field at once, then the field the turn falls on alone: a refusal of one
        # field (a title too long) must not hide what another does with the payload.
        posts = [dict.fromkeys(TEXT_FIELDS, payload)]
        posts.append({TEXT_FIELDS[index % len(TEXT_FIELDS)]: payload})
        posts += [{field: payload} for field in _choices_for(index, CHOICE_FIELDS)]
        for overrides in posts:
            what = f"story-create {sorted(overrides)}={label}"
            response = _check(client.post(url, _story_form(world, **overrides)), what)
            stored += _refused_or_stored(client, response, payload, what)
    for name, content, content_type in FILES:
        upload = SimpleUploadedFile(name, content, content_type=content_type)
        what = f"story-create attachments={name!r}"
        response = _check(client.post(url, _story_form(world, attachments=upload)), what)
        _refused_or_stored(client, response, name, what)
    assert stored, "no payload was ever stored: the form refuses everything"
    _report(capsys, "story form", len(PAYLOADS) + len(FILES), before)


# --- The dialogue form and its comments ----------------------------------------------------------

DIALOGUE_TEXT_FIELDS = ("other_participants", "agenda", "notes", "actions-0-description")
DIALOGUE_CHOICE_FIELDS = (
    "held_on",
    "format",
    "project",
    "staff_participants",
    "story_references",
    "actions-0-due_on",
    "actions-0-owner",
    "actions-TOTAL_FORMS",
)


def _dialogue_form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "partner": world.alpha.pk,
        "held_on": "2026-11-02",
        "format": "visit",
        "notes": "Notes",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Send the budget",
        "actions-0-due_on": "2026-12-01",
        "actions-0-owner": "partner",
    }
    data.update(overrides)
    return data


def test_it_refuses_or_escapes_every_payload_in_the_dialogue_and_comment_forms(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    from dialogues.models import Dialogue

    client = client_as("staff")
    url = reverse("dialogue-create")
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [dict.fromkeys(DIALOGUE_TEXT_FIELDS, payload)]
        posts += [{field: payload} for field in _choices_for(index, DIALOGUE_CHOICE_FIELDS)]
        for overrides in posts:
            what = f"dialogue-create {sorted(overrides)}={label}"
            response = _check(client.post(url, _dialogue_form(world, **overrides)), what)
            if response.status_code == 302:
                stored += 1
                page = _check(client.get(response["Location"]), f"detail after {what}")
                assert not _unescaped(payload, page.content.decode()), what
            else:
                assert response.status_code in (200, 404), what
                assert not _unescaped(payload, response.content.decode()), what
    dialogue = Dialogue.objects.filter(partner=world.alpha).first()
    assert dialogue is not None, "no payload was ever stored: the form refuses everything"
    partner = client_as("partner")
    for label, payload in PAYLOADS:
        what = f"dialogue-comment={label}"
        response = _check(
            partner.post(reverse("dialogue-comment", args=[dialogue.pk]), {"text": payload}), what
        )
        if response.status_code == 302:
            page = _check(partner.get(response["Location"]), what)
            assert not _unescaped(payload, page.content.decode()), what
    _report(capsys, "dialogue forms", len(PAYLOADS), before)


# --- The public submission-link form --------------------------------------------------------------


def _public_form(**overrides: Any) -> dict[str, Any]:
    return public_story_data(**overrides)


def test_it_refuses_or_escapes_every_payload_in_the_public_link_form(
    world: World,
    client_as: Callable[[str], Client],
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.LINK_RATE_PER_ADDRESS_PER_HOUR = 100_000
    settings.LINK_RATE_PER_LINK_PER_HOUR = 100_000
    link = SubmissionLink.objects.create(
        label="Bad input",
        partner=world.alpha,
        project=world.alpha_project,
        created_by=world.users["staff"],
        expires_at=timezone.now() + dt.timedelta(days=14),
        max_uses=100_000,
    )
    client = Client()
    url = reverse("link-submit", args=[link.token])
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [dict.fromkeys(TEXT_FIELDS, payload)]
        posts.append({TEXT_FIELDS[index % len(TEXT_FIELDS)]: payload})
        posts += [{field: payload} for field in _choices_for(index, LINK_CHOICE_FIELDS)]
        for overrides in posts:
            what = f"link-submit {sorted(overrides)}={label}"
            response = _check(client.post(url, _public_form(**overrides)), what)
            if _refused_or_stored(client, response, payload, what):
                stored += 1
    assert stored, "no payload was ever stored: the form refuses everything"
    # What came in through the link is shown to staff escaped too.
    staff = client_as("staff")
    for story in ChangeStory.objects.filter(project=world.alpha_project).exclude(
        pk=world.alpha_story.pk
    )[:50]:
        page = _check(staff.get(reverse("story-detail", args=[story.pk])), "staff detail")
        assert page.status_code == 200
        for _label, payload in PAYLOADS:
            assert not _unescaped(payload, page.content.decode())
    _report(capsys, "public link form", len(PAYLOADS), before)


# --- The risk register's forms ------------------------------------------------------------------

RISK_TEXT_FIELDS = ("title", "description", "mitigation")
RISK_CHOICE_FIELDS = ("partner", "project", "category", "likelihood", "impact", "owner")


def test_it_refuses_or_escapes_every_payload_in_the_risk_forms(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    """The risk form (text and choices), the reassessment and the comment: a message or a saved
    record shown escaped, and the close and share actions a 400, never a server error."""
    staff, partner = client_as("staff"), client_as("partner")
    risk = factories.RiskFactory.create(partner=world.alpha, shared_with_partner=True)
    base: dict[str, Any] = {
        "partner": world.alpha.pk,
        "title": "A risk",
        "category": "political",
        "likelihood": "2",
        "impact": "3",
        "next_review": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [{**base, **dict.fromkeys(RISK_TEXT_FIELDS, payload)}]
        posts += [{**base, field: payload} for field in _choices_for(index, RISK_CHOICE_FIELDS)]
        posts.append({**base, "next_review": payload})
        for data in posts:
            what = f"risk-create={label}"
            response = _check(staff.post(reverse("risk-create"), data), what)
            if response.status_code == 302:
                stored += 1
                page = _check(staff.get(response["Location"]), what)
                assert not _unescaped(payload, page.content.decode()), what
            else:
                assert response.status_code == 200, what
                assert "invalid-feedback" in response.content.decode(), what
                assert not _unescaped(payload, response.content.decode()), what
        actions: tuple[tuple[str, dict[str, str], Client], ...] = (
            (
                reverse("risk-reassess", args=[risk.pk]),
                {"likelihood": payload, "impact": "2"},
                staff,
            ),
            (
                reverse("risk-reassess", args=[risk.pk]),
                {"likelihood": "1", "impact": "5", "note": payload},
                staff,
            ),
            (reverse("risk-comment", args=[risk.pk]), {"text": payload}, partner),
        )
        for url, data, client in actions:
            response = _check(client.post(url, data), f"{url} {label}")
            assert response.status_code in (200, 302), f"{url} {label}"
            assert not _unescaped(payload, response.content.decode()), f"{url} {label}"
        for name, field in (("risk-status", "status"), ("risk-share", "shared")):
            response = _check(staff.post(reverse(name, args=[risk.pk]), {field: payload}), label)
            assert response.status_code in (302, 400), f"{name} {label}"
        # A payload such as "0" stops the sharing: the partner's next comment must still land.
        Risk.objects.filter(pk=risk.pk).update(shared_with_partner=True)
    page = _check(partner.get(reverse("risk-detail", args=[risk.pk])), "comments")
    for _label, payload in PAYLOADS:
        assert not _unescaped(payload, page.content.decode())
    assert stored, "no payload was ever stored: the form refuses everything"
    _report(capsys, "risk forms", len(PAYLOADS), before)


# --- The contributions ledger ---------------------------------------------------------------------

CONTRIBUTION_FIELDS = ("date", "amount_sek", "hours", "kind", "network", "program")


def test_it_refuses_or_escapes_every_payload_in_the_contribution_forms(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    """A member's report and a row staff record: each payload in the note (and the donor's
    name) and, in turn, in the other fields; a message (400) or a row shown escaped on the
    ledger, never a server error."""
    staff, member = client_as("staff"), client_as("member")
    ours = world.users["member"].member_organisation
    assert ours is not None
    report: dict[str, Any] = {
        "kind": "collection",
        "member_organisation": ours.pk,
        "date": dt.date.today().isoformat(),
        "amount_sek": "100",
        "network": world.network.pk,
    }
    record = {**report, "kind": "gift", "member_organisation": ""}
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [
            (member, "contribution-report", {**report, "note": payload}),
            (staff, "contribution-create", {**record, "note": payload, "donor_name": payload}),
            (member, "contribution-report", {**report, CONTRIBUTION_FIELDS[index % 6]: payload}),
        ]
        for client, name, data in posts:
            what = f"{name} {label}"
            response = _check(client.post(reverse(name), data), what)
            assert response.status_code in (302, 400), what
            assert not _unescaped(payload, response.content.decode()), what
            stored += response.status_code == 302
    for client in (staff, member):
        body = _check(client.get(reverse("contribution-list"), {"status": "reported"}), "ledger")
        for _label, payload in PAYLOADS:
            assert not _unescaped(payload, body.content.decode())
    assert stored, "no payload was ever stored: the forms refuse everything"
    _report(capsys, "contribution forms", len(PAYLOADS), before)


def test_it_refuses_or_escapes_every_payload_in_the_newsletter_form(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each payload as a newsletter's subject and text, and in turn as its audience and
    network: a draft whose preview and list show it escaped, or a message; never a 500."""
    staff = client_as("staff")
    base: dict[str, Any] = {"audience": "network", "network": world.network.pk}
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [
            {**base, "subject": payload[:150] or "x", "body": payload or "x"},
            {**base, "subject": "x", "body": "y", ("audience", "network")[index % 2]: payload},
        ]
        for data in posts:
            what = f"newsletter-create {label}"
            response = _check(staff.post(reverse("newsletter-create"), data), what)
            assert response.status_code in (302, 400), what
            if response.status_code == 302:
                stored += 1
                response = _check(staff.get(response["Location"]), what)
            assert not _unescaped(payload, response.content.decode()), what
    page = _check(staff.get(reverse("newsletter-list")), "sent log")
    for _label, payload in PAYLOADS:
        assert not _unescaped(payload, page.content.decode())
    assert stored, "no payload was ever stored: the form refuses everything"
    _report(capsys, "newsletter form", len(PAYLOADS), before)


def test_it_refuses_or_escapes_every_payload_in_the_expertise_forms(
    world: World, client_as: Callable[[str], Client], capsys: pytest.CaptureFixture[str]
) -> None:
    """A partner's need and a member's offer: each payload in their texts and, in turn, in
    their choices; stored and shown escaped on the expertise page, or a message."""
    partner, member = client_as("partner"), client_as("member")
    ours = world.users["member"].member_organisation
    assert ours is not None
    before, stored = Counter.requests, 0
    for index, (label, payload) in enumerate(PAYLOADS):
        posts = [
            (partner, "need-create", {"title": payload[:200] or "x", "description": payload}),
            (partner, "need-create", {"title": "x", "network": payload}),
            (
                member,
                "offer-create",
                {
                    "member_organisation": ours.pk if index % 2 else payload,
                    "title": payload[:200] or "x",
                    "description": payload,
                    "hours": payload if index % 3 == 0 else "10",
                },
            ),
        ]
        for client, name, data in posts:
            what = f"{name} {label}"
            response = _check(client.post(reverse(name), data), what)
            assert response.status_code in (302, 400), what
            assert not _unescaped(payload, response.content.decode()), what
            stored += response.status_code == 302
    for client in (partner, member, client_as("staff")):
        page = _check(client.get(reverse("expertise")), "expertise").content.decode()
        for _label, payload in PAYLOADS:
            assert not _unescaped(payload, page)
    assert stored, "no payload was ever stored: the forms refuse everything"
    _report(capsys, "expertise forms", len(PAYLOADS), before)


# --- Login and one-time code ----------------------------------------------------------------------


def test_it_survives_every_payload_in_the_login_and_code_forms(
    world: World, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Lock-out after repeated failures is a refusal too (not a 5xx), but it would stop the
    # payloads from reaching the form; it has its own tests.
    settings.AXES_ENABLED = False
    url = reverse("login")
    before = Counter.requests
    # The code form is only reachable after a correct password.
    code_client = Client()
    response = code_client.post(url, {"username": "staff", "password": PASSWORD})
    assert response["Location"] == reverse("login-otp")
    for label, payload in PAYLOADS:
        response = _check(
            code_client.post(reverse("login-otp"), {"otp_token": payload}), f"otp={label}"
        )
        assert response.status_code == 200, label
        assert not _unescaped(payload, response.content.decode()), label
    # A cheap hasher from here on: the test is about the form, not the cost of 200 hashes.
    # The fixture's PBKDF2 hashes then match nothing, which suits a corpus of wrong passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    for label, payload in PAYLOADS:
        for data in (
            {"username": payload, "password": PASSWORD},
            {"username": "partner", "password": payload},
        ):
            response = _check(client.post(url, data), f"login {sorted(data)}={label}")
            assert response.status_code in (200, 302, 403, 429), label
            assert not _unescaped(payload, response.content.decode()), label
    _report(capsys, "login and code forms", len(PAYLOADS), before)
