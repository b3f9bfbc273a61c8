"""Submission links: made by partners and staff, used by rights-holders without an account."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from conftest import ROLES, World
from partners.models import Partner
from progress import links
from progress.models import (
    ChangeStory,
    LinkSubmissionAttempt,
    Storyteller,
    SubmissionLink,
)
from progress.tasks import purge_link_attempts
from tests.form_data import public_story_data

TITLE = "The water committee listens"
MANAGERS = ("admin", "staff", "officer", "partner", "partner2", "secret")


def _link(world: World, partner: Partner | None = None, **overrides: Any) -> SubmissionLink:
    partner = partner or world.alpha
    project = {
        world.alpha.pk: world.alpha_project,
        world.beta.pk: world.beta_project,
        world.hidden.pk: world.hidden_project,
    }[partner.pk]
    fields: dict[str, Any] = {
        "label": f"Workshop of {partner.name}",
        "partner": partner,
        "project": project,
        "created_by": world.users["staff"],
        "expires_at": timezone.now() + dt.timedelta(days=14),
        "max_uses": 50,
    }
    fields.update(overrides)
    return SubmissionLink.objects.create(**fields)


def _public_form(**overrides: Any) -> dict[str, Any]:
    return public_story_data(**{"title": TITLE, **overrides})


def _submit_url(link: SubmissionLink) -> str:
    return reverse("link-submit", args=[link.token])


def _create_form(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": "Women's assembly, March",
        "partner": world.alpha.pk,
        "project": world.alpha_project.pk,
        "days": "14",
        "max_uses": "50",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Making and revoking links --------------------------------------------------------------------


def test_it_lets_cleared_staff_create_a_link_for_a_confidential_partner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    data = _create_form(world, partner=world.hidden.pk, project=world.hidden_project.pk)
    response = client_as("staff").post(reverse("link-create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("link-list")
    link = SubmissionLink.objects.get()
    assert (link.partner, link.project) == (world.hidden, world.hidden_project)
    assert link.created_by == world.users["staff"]
    assert link.max_uses == 50 and link.uses == 0
    expected = timezone.now() + dt.timedelta(days=14)
    assert abs(link.expires_at - expected) < dt.timedelta(minutes=1)
    assert links.link_state(link) == "open"


def test_it_lets_a_partner_user_create_links_for_its_own_organisation_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    form = client.get(reverse("link-create")).content.decode()
    assert 'type="hidden" name="partner"' in form
    assert "Sindicato Beta" not in form

    response = client.post(reverse("link-create"), _create_form(world, project=None))
    assert response.status_code == 302
    assert SubmissionLink.objects.get().partner == world.alpha

    other = _create_form(world, label="Not ours", partner=world.beta.pk, project=None)
    assert client.post(reverse("link-create"), other).status_code == 200
    assert not SubmissionLink.objects.filter(label="Not ours").exists()


def test_it_refuses_an_officer_a_link_for_the_confidential_partner(
    world: World, client_as: Callable[[str], Client]
) -> None:
    data = _create_form(world, partner=world.hidden.pk, project=None)
    response = client_as("officer").post(reverse("link-create"), data)
    assert response.status_code == 200
    assert "Hidden Rainbow Union" not in response.content.decode()
    assert not SubmissionLink.objects.exists()
    with pytest.raises(PermissionDenied):
        links.link_create(
            actor=world.users["officer"],
            partner=world.hidden,
            project=None,
            label="Izmir",
            days=14,
            max_uses=50,
        )


@pytest.mark.parametrize("role", ["member", "partner2"])
def test_it_refuses_links_for_partners_the_actor_does_not_manage(world: World, role: str) -> None:
    # A network member sees alpha's public page, but manages none of its links.
    with pytest.raises(PermissionDenied):
        links.link_create(
            actor=world.users[role],
            partner=world.alpha,
            project=None,
            label="Meeting",
            days=14,
            max_uses=50,
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 501}, "max_uses"),
        ({"label": "  "}, "label"),
        ({"project": "BETA"}, "project"),
    ],
)
def test_it_keeps_links_within_their_bounds(
    world: World, changes: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {
        "actor": world.users["staff"],
        "partner": world.alpha,
        "project": None,
        "label": "Meeting",
        "days": 14,
        "max_uses": 50,
    }
    arguments.update(changes)
    if arguments["project"] == "BETA":
        arguments["project"] = world.beta_project
    with pytest.raises(ValidationError) as caught:
        links.link_create(**arguments)
    assert field in caught.value.error_dict
    assert not SubmissionLink.objects.exists()


def test_it_offers_no_link_longer_than_ninety_days_in_the_form(
    world: World, client_as: Callable[[str], Client]
) -> None:
    response = client_as("staff").post(reverse("link-create"), _create_form(world, days="365"))
    assert response.status_code == 200
    assert not SubmissionLink.objects.exists()


def test_it_revokes_a_link(world: World, client_as: Callable[[str], Client]) -> None:
    link = _link(world)
    client = client_as("partner")
    listing = client.get(reverse("link-list")).content.decode()
    assert f'data-copy="link-url-{link.pk}"' in listing  # the copy button beside the address
    # The list's button asks first: opening the page revokes nothing.
    confirm = client.get(reverse("link-revoke", args=[link.pk]))
    assert "accepts no more stories" in confirm.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None
    response = client.post(reverse("link-revoke", args=[link.pk]))
    assert response["Location"] == reverse("link-list")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert links.link_state(link) == "revoked"


@pytest.mark.parametrize(("role", "partner"), [("partner2", "alpha"), ("officer", "hidden")])
def test_it_answers_404_for_a_link_outside_the_viewers_scope(
    world: World, client_as: Callable[[str], Client], role: str, partner: str
) -> None:
    link = _link(world, getattr(world, partner), label="Somebody else's link")
    client = client_as(role)
    assert client.post(reverse("link-revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    listing = client.get(reverse("link-list")).content.decode()
    assert "Somebody else&#x27;s link" not in listing
    assert link.token not in listing


def test_it_answers_404_for_an_unknown_link_id(
    world: World, client_as: Callable[[str], Client]
) -> None:
    assert client_as("staff").post(reverse("link-revoke", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["link-list", "link-create"])
def test_it_opens_the_link_pages_to_partner_users_and_staff_only(
    world: World, client_as: Callable[[str], Client], role: str, name: str
) -> None:
    expected = 200 if role in MANAGERS else 404
    assert client_as(role).get(reverse(name)).status_code == expected


@pytest.mark.parametrize("name", ["link-list", "link-create"])
def test_it_sends_anonymous_visitors_from_the_link_pages_to_the_login(
    world: World, client: Client, name: str
) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lists_links_with_state_address_and_stories(
    world: World, client_as: Callable[[str], Client], client: Client
) -> None:
    link = _link(world, label="Women's assembly")
    closed = _link(world, label="Old meeting", revoked_at=timezone.now())
    other = _link(world, world.beta, label="Beta's meeting")
    client.post(_submit_url(link), _public_form())
    story = ChangeStory.objects.get(title=TITLE)

    response = client_as("partner").get(reverse("link-list"))
    body = response.content.decode()
    assert f"http://testserver/s/{link.token}/" in body
    assert closed.token not in body  # a closed link's address is no use to anyone
    assert other.token not in body and "Beta&#x27;s meeting" not in body
    rows = {row.link.pk: row for row in response.context["rows"]}
    assert rows[link.pk].state == "open" and rows[closed.pk].state == "revoked"
    assert rows[link.pk].story_count == 1
    assert rows[link.pk].latest_stories == [story]
    assert reverse("story-detail", args=[story.pk]) in body
    assert "1 of 50" in body


def test_it_lists_links_in_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    staff = client_as("staff")
    url = reverse("link-list")
    first = _link(world)
    client.post(_submit_url(first), _public_form())
    # Session, user, OTP device; the count; the page of links with their partner and project;
    # the latest stories of the page's links.
    with django_assert_num_queries(6):
        staff.get(url)
    for partner in (world.alpha, world.beta, world.hidden) * 3:
        link = _link(world, partner)
        client.post(_submit_url(link), _public_form(title=f"Story through {link.pk}"))
    with django_assert_num_queries(6):
        staff.get(url)


def test_it_links_from_the_story_list_to_the_links(
    world: World, client_as: Callable[[str], Client]
) -> None:
    url = reverse("story-list")
    assert reverse("link-list") in client_as("partner").get(url).content.decode()
    assert reverse("link-list") not in client_as("member").get(url).content.decode()


# --- The public form ------------------------------------------------------------------------------


def test_it_takes_a_story_from_an_anonymous_visitor(world: World, client: Client) -> None:
    link = _link(world)
    response = client.post(_submit_url(link), _public_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("link-thanks", args=[link.token])

    story = ChangeStory.objects.get(title=TITLE)
    assert story.status == ChangeStory.Status.SUBMITTED
    assert story.submission_link == link
    assert (story.partner, story.project, story.program) == (
        world.alpha,
        world.alpha_project,
        world.program,
    )
    assert story.country == world.alpha.country
    assert story.submitter_role == ChangeStory.SubmitterRole.RIGHTS_HOLDER
    assert story.collection_mode == ChangeStory.CollectionMode.SELF_ENTERED
    assert story.submitted_by is None
    assert story.language == "es" and story.significance == 4
    assert list(story.change_types.values_list("code", flat=True)) == [
        "participation-decision-making"
    ]
    assert Storyteller.objects.get(story=story).contact == "+502 5555 0000"
    assert list(story.events.values_list("action", "actor")) == [
        ("created", None),
        ("submitted", None),
    ]
    link.refresh_from_db()
    assert link.uses == 1

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()


def test_it_shows_staff_that_the_story_came_through_a_link(
    world: World, client_as: Callable[[str], Client], client: Client
) -> None:
    client.post(_submit_url(_link(world)), _public_form())
    story = ChangeStory.objects.get(title=TITLE)
    body = client_as("staff").get(reverse("story-detail", args=[story.pk])).content.decode()
    assert "via a submission link" in body


def test_it_makes_one_story_and_one_use_of_a_double_submit(world: World, client: Client) -> None:
    link = _link(world)
    data = _public_form()
    first = client.post(_submit_url(link), data)
    second = client.post(_submit_url(link), data)
    assert first["Location"] == second["Location"] == reverse("link-thanks", args=[link.token])
    assert ChangeStory.objects.filter(title=TITLE).count() == 1
    link.refresh_from_db()
    assert link.uses == 1


def test_it_accepts_the_double_submit_of_the_story_that_filled_the_link(
    world: World, client: Client
) -> None:
    link = _link(world, max_uses=1)
    data = _public_form()
    client.post(_submit_url(link), data)
    # The second click of the last story still thanks the visitor; it is the same story.
    story = links.link_submit(
        link=link,
        story=ChangeStory(title="ignored"),
        change_types=[],
        target_groups=[],
        form_token=uuid.UUID(data["form_token"]),
    )
    assert story.title == TITLE
    link.refresh_from_db()
    assert link.uses == 1


def test_it_never_hands_back_a_story_from_another_form(world: World, client: Client) -> None:
    token = uuid.uuid4()
    world.beta_story.form_token = token
    world.beta_story.save()
    link = _link(world)
    response = client.post(_submit_url(link), _public_form(form_token=str(token)))
    assert response.status_code == 200
    assert "Sindicato Beta" not in response.content.decode()
    link.refresh_from_db()
    assert link.uses == 0


CLOSED: dict[str, dict[str, Any]] = {
    "expired": {"expires_at": dt.timedelta(days=-1)},
    "revoked": {"revoked_at": dt.timedelta(hours=-1)},
    "full": {"max_uses": 2, "uses": 2},
}


@pytest.mark.parametrize("state", sorted(CLOSED))
def test_it_answers_a_closed_link_with_a_clear_page(
    world: World, client: Client, state: str
) -> None:
    changes: dict[str, Any] = {
        name: (timezone.now() + value if isinstance(value, dt.timedelta) else value)
        for name, value in CLOSED[state].items()
    }
    link = _link(world, **changes)
    assert links.link_state(link) == state
    before = ChangeStory.objects.count()

    page = client.get(_submit_url(link))
    assert page.status_code == 410
    assert "This link is closed" in page.content.decode()
    posted = client.post(_submit_url(link), _public_form())
    assert posted.status_code == 410
    assert "no longer accepts" in posted.content.decode()

    assert ChangeStory.objects.count() == before
    assert not LinkSubmissionAttempt.objects.exists()
    link.refresh_from_db()
    assert link.uses == changes.get("uses", 0)


def test_it_closes_a_link_that_reaches_its_cap(world: World, client: Client) -> None:
    link = _link(world, max_uses=1)
    client.post(_submit_url(link), _public_form())
    response = client.post(_submit_url(link), _public_form(title="One too many"))
    assert response.status_code == 410
    assert not ChangeStory.objects.filter(title="One too many").exists()


def test_it_refuses_a_story_through_a_link_that_closed_while_the_form_was_open(
    world: World,
) -> None:
    link = _link(world)
    SubmissionLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    with pytest.raises(links.LinkClosed) as caught:
        links.link_submit(
            link=link,  # the caller's copy still reads "open"
            story=ChangeStory(title=TITLE),
            change_types=[],
            target_groups=[],
            form_token=uuid.uuid4(),
        )
    assert caught.value.state == "revoked"
    assert not ChangeStory.objects.filter(title=TITLE).exists()


@pytest.mark.parametrize("name", ["link-submit", "link-thanks"])
def test_it_answers_404_for_an_unknown_token(world: World, client: Client, name: str) -> None:
    assert client.get(reverse(name, args=["no-such-token"])).status_code == 404


def test_it_refuses_a_story_without_consent_to_keep_it(world: World, client: Client) -> None:
    link = _link(world)
    response = client.post(_submit_url(link), _public_form(consent_store=None))
    assert response.status_code == 200
    assert "We can only keep your story with your consent." in response.content.decode()
    assert response.context["form"].errors["consent_store"]
    assert not ChangeStory.objects.filter(title=TITLE).exists()
    link.refresh_from_db()
    assert link.uses == 0


def test_it_asks_for_the_whole_assessment(world: World, client: Client) -> None:
    data = _public_form(significance=None, change_types=None, who_changed=None, event_date=None)
    response = client.post(_submit_url(_link(world)), data)
    assert set(response.context["form"].errors) == {
        "significance",
        "change_types",
        "who_changed",
        "event_date",
    }
    assert not ChangeStory.objects.filter(title=TITLE).exists()


def test_it_never_shows_the_partner_on_the_public_pages(world: World, client: Client) -> None:
    link = _link(world, world.hidden, label="Izmir women's shelter")
    secrets = ("Hidden Rainbow Union", "Izmir", world.hidden.pseudonym, "Project of Hidden")
    pages = [
        client.get(_submit_url(link)),
        client.post(_submit_url(link), _public_form(consent_store=None)),  # with form errors
        client.get(reverse("link-thanks", args=[link.token])),
    ]
    SubmissionLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    pages.append(client.get(_submit_url(link)))
    for response in pages:
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (response.status_code, secret)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "¿Qué pasó?"), ("sv", "Vad hände?"), ("en", "What happened?")],
)
def test_it_serves_the_public_form_in_each_language(
    world: World, client: Client, language: str, expected: str
) -> None:
    client.cookies["django_language"] = language
    response = client.get(_submit_url(_link(world)))
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert expected in body
    # The story's language defaults to the visitor's.
    assert response.context["form"].initial["language"] == language


def test_it_serves_the_closed_page_in_the_visitors_language(world: World, client: Client) -> None:
    client.cookies["django_language"] = "es"
    response = client.get(_submit_url(_link(world, revoked_at=timezone.now())))
    assert response.status_code == 410
    assert '<html lang="es">' in response.content.decode()


def test_it_shows_the_public_form_in_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    url = _submit_url(_link(world))
    # The link; the change types and the target groups for the checkboxes. No session, no user.
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


# --- Rate limits ----------------------------------------------------------------------------------


def test_it_limits_submissions_per_address(
    world: World, client: Client, settings: Settings
) -> None:
    settings.LINK_RATE_PER_ADDRESS_PER_HOUR = 2
    first, second = _link(world), _link(world, world.beta)
    assert client.post(_submit_url(first), _public_form(title="One")).status_code == 302
    assert client.post(_submit_url(second), _public_form(title="Two")).status_code == 302
    # The limit counts the address across links.
    response = client.post(_submit_url(first), _public_form(title="Three"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many attempts" in response.content.decode()
    assert not ChangeStory.objects.filter(title="Three").exists()
    assert LinkSubmissionAttempt.objects.count() == 2
    # Another address is not held back.
    elsewhere = client.post(
        _submit_url(first), _public_form(title="Four"), REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302


def test_it_limits_submissions_per_link(world: World, client: Client, settings: Settings) -> None:
    settings.LINK_RATE_PER_LINK_PER_HOUR = 2
    link = _link(world)
    for number, address in enumerate(("192.0.2.1", "192.0.2.2")):
        data = _public_form(title=f"Story {number}")
        assert client.post(_submit_url(link), data, REMOTE_ADDR=address).status_code == 302
    data = _public_form(title="One too many")
    response = client.post(_submit_url(link), data, REMOTE_ADDR="192.0.2.3")
    assert response.status_code == 429
    assert not ChangeStory.objects.filter(title="One too many").exists()
    link.refresh_from_db()
    assert link.uses == 2
    # Another link is not held back.
    other = _link(world)
    assert client.post(_submit_url(other), data, REMOTE_ADDR="192.0.2.3").status_code == 302


def test_it_counts_invalid_attempts_too(world: World, client: Client, settings: Settings) -> None:
    settings.LINK_RATE_PER_ADDRESS_PER_HOUR = 1
    link = _link(world)
    client.post(_submit_url(link), _public_form(consent_store=None))
    assert client.post(_submit_url(link), _public_form()).status_code == 429
    assert not ChangeStory.objects.filter(title=TITLE).exists()


def test_it_stores_a_keyed_hash_never_the_address(world: World, client: Client) -> None:
    client.post(_submit_url(_link(world)), _public_form(), REMOTE_ADDR="203.0.113.9")
    attempt = LinkSubmissionAttempt.objects.get()
    assert "203.0.113.9" not in attempt.address_hash
    assert attempt.address_hash == links.address_hash("203.0.113.9")
    assert len(attempt.address_hash) == 64


def test_it_forgets_attempts_after_the_window_and_purges_them_after_a_day(
    world: World, client: Client, settings: Settings
) -> None:
    settings.LINK_RATE_PER_ADDRESS_PER_HOUR = 1
    link = _link(world)
    hashed = links.address_hash("127.0.0.1")
    now = timezone.now()
    old = LinkSubmissionAttempt.objects.create(
        link=link, address_hash=hashed, at=now - dt.timedelta(hours=2)
    )
    ancient = LinkSubmissionAttempt.objects.create(
        link=link, address_hash=hashed, at=now - dt.timedelta(days=2)
    )
    assert client.post(_submit_url(link), _public_form()).status_code == 302
    assert purge_link_attempts() == 1
    remaining = set(LinkSubmissionAttempt.objects.values_list("pk", flat=True))
    assert old.pk in remaining and ancient.pk not in remaining


def test_it_schedules_the_purge_of_old_attempts() -> None:
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["purge-link-attempts"]
    assert entry["task"] == "progress.purge_link_attempts"
    assert entry["task"] in app.tasks


# --- Admin ----------------------------------------------------------------------------------------


def test_it_scopes_links_in_the_admin(world: World, client_as: Callable[[str], Client]) -> None:
    _link(world, world.hidden, label="Izmir shelter")
    url = reverse("admin:progress_submissionlink_changelist")
    assert "Izmir shelter" in client_as("staff").get(url).content.decode()
    officer = client_as("officer").get(url)
    assert officer.status_code == 200
    assert "Izmir shelter" not in officer.content.decode()
