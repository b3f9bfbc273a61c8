"""Mail (issue #14, item 8): newsletters to a network's members or a district's branches, sent
to those who chose them with one-click unsubscribe and a sent log, never naming a confidential
partner; the weekly digest read through each reader's own selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from mailings import digests, messages, services
from mailings.models import Delivery, MailPreference, Newsletter
from portal.models import User
from progress.models import StoryEvent
from tests import factories


def _opt_in(user: User, **choices: bool) -> None:
    MailPreference.objects.update_or_create(
        user=user, defaults={"newsletters": True, "weekly_digest": False, **choices}
    )


def _other_member(world: World, **fields: Any) -> User:
    """Another user of the member's organisation (so in the network)."""
    return factories.UserFactory.create(
        role="member",
        member_organisation=world.users["member"].member_organisation,
        **fields,
    )


def _drain() -> None:
    """Send what waits, as the worker does: with a broker (``REDIS_URL``, the PostgreSQL run)
    the task asked for after commit goes to it rather than running here; on the embedded
    default it has run already and this sends nothing more."""
    services.deliveries_send()


def _write(client: Client, world: World, **overrides: Any) -> Any:
    data = {
        "audience": "network",
        "network": world.network.pk,
        "subject": "News from the network",
        "body": "Dear members,\n\nThe union **won** its case. Read [more](https://example.org/).",
        **overrides,
    }
    return client.post(reverse("newsletter-create"), data)


def test_staff_send_a_newsletter_to_those_who_chose_it(
    world: World,
    client_as: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    member = world.users["member"]
    _opt_in(member)
    _other_member(world, username="quiet")  # never chose newsletters
    staff = client_as("staff")
    response = _write(staff, world)
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    page = staff.get(response["Location"]).content.decode()
    assert "<strong>won</strong>" in page  # the preview
    assert "It reaches 1 person of the 2" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff.post(reverse("newsletter-send", args=[newsletter.pk]), follow=True)
    assert "Sending to 1 person" in sent.content.decode()
    _drain()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "News from the network"
    assert "The union **won** its case." in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "<strong>won</strong>" in html and 'href="https://example.org/"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body and unsubscribe in html
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT and newsletter.sent_at is not None
    log = staff.get(reverse("newsletter-list")).content.decode()
    assert f'data-newsletter="{newsletter.pk}"' in log
    # Sent is sent: no second sending, no change.
    assert staff.post(reverse("newsletter-send", args=[newsletter.pk])).status_code == 302
    assert len(mail.outbox) == 1
    assert staff.get(reverse("newsletter-edit", args=[newsletter.pk])).status_code == 404
    # The member reads what was sent to them.
    assert (
        client_as("member").get(reverse("newsletter-detail", args=[newsletter.pk])).status_code
        == 200
    )


def test_a_newsletter_naming_a_confidential_partner_is_not_sent(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _opt_in(world.users["member"])
    staff = client_as("staff")
    _write(staff, world, body=f"Our friends of {world.hidden.name.upper()} send greetings.")
    newsletter = Newsletter.objects.get()
    response = staff.post(reverse("newsletter-send", args=[newsletter.pk]), follow=True)
    assert "names a confidential partner" in response.content.decode()
    assert not Delivery.objects.exists() and not mail.outbox
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT


def test_nobody_who_chose_it_means_nothing_is_sent(
    world: World, client_as: Callable[[str], Client]
) -> None:
    staff = client_as("staff")
    _write(staff, world)
    newsletter = Newsletter.objects.get()
    response = staff.post(reverse("newsletter-send", args=[newsletter.pk]), follow=True)
    assert "Nobody would receive it" in response.content.decode()
    assert Newsletter.objects.get().status == Newsletter.Status.DRAFT


def test_a_district_writes_to_its_branches_only(
    world: World, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    district = world.users["member"].member_organisation
    assert district is not None
    branch = factories.MemberOrganisationFactory.create(parent=district)
    club = factories.MemberOrganisationFactory.create(parent=branch)
    chair = factories.UserFactory.create(role="member", member_organisation=branch)
    club_chair = factories.UserFactory.create(role="member", member_organisation=club)
    for user in (chair, club_chair, world.users["member"]):
        _opt_in(user)
    member = client_as("member")
    # No network to write to: the field is not there, and a forged one is refused.
    response = _write(member, world)
    assert response.status_code == 400
    response = _write(member, world, audience="branches", district=district.pk, network="")
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        member.post(reverse("newsletter-send", args=[newsletter.pk]))
    _drain()
    # The branches' chairs, down the tree; not the district's own users.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair.email, club_chair.email])
    # A branch's user has no branches to write to.
    other = factories.MemberOrganisationFactory.create()
    factories.UserFactory.create(username="lonely", role="member", member_organisation=other)
    lonely = Client()
    lonely.force_login(User.objects.get(username="lonely"))
    assert lonely.get(reverse("newsletter-create")).status_code == 404
    assert lonely.get(reverse("newsletter-detail", args=[newsletter.pk])).status_code == 404


def test_one_click_unsubscribe(world: World, django_capture_on_commit_callbacks: Any) -> None:
    member = world.users["member"]
    _opt_in(member, weekly_digest=True)
    url = reverse("mail-unsubscribe", args=[messages.unsubscribe_token(member, "newsletters")])
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(url).status_code == 200  # a link checker opening it changes nothing
    assert MailPreference.objects.get(user=member).newsletters
    response = anonymous.post(url)  # as a mail program does, without a CSRF token
    assert response.status_code == 200
    preference = MailPreference.objects.get(user=member)
    assert not preference.newsletters and preference.weekly_digest
    tampered = url.replace(url.split("/")[-2], url.split("/")[-2][:-3] + "abc")
    assert anonymous.post(tampered).status_code == 400
    assert anonymous.get("/mail/unsubscribe/nonsense/").status_code == 400


def test_someone_who_unsubscribed_after_the_send_is_not_written_to(
    world: World, client_as: Callable[[str], Client]
) -> None:
    member = world.users["member"]
    _opt_in(member)
    _write(client_as("staff"), world)
    newsletter = Newsletter.objects.get()
    services.newsletter_send(actor=world.users["staff"], newsletter=newsletter)  # on_commit held
    services.unsubscribe(token=messages.unsubscribe_token(member, "newsletters"))
    assert services.deliveries_send() == 0
    assert not mail.outbox
    assert Delivery.objects.get().status == Delivery.Status.WITHDRAWN
    assert Newsletter.objects.get().status == Newsletter.Status.SENT


def test_a_failing_mail_server_is_retried_then_given_up(
    world: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    _opt_in(world.users["member"])
    _write(client_as("staff"), world)
    services.newsletter_send(actor=world.users["staff"], newsletter=Newsletter.objects.get())

    def refuse(self: object, messages: object) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(OSError):
            services.deliveries_send()
        delivery = Delivery.objects.get()
        assert delivery.attempts == attempt
    assert delivery.status == Delivery.Status.FAILED
    assert Newsletter.objects.get().status == Newsletter.Status.SENT  # nothing left waiting


def test_markup_in_a_newsletter_stays_text() -> None:
    html = messages.as_html("<script>alert(1)</script> [x](javascript:alert(1)) [y](http://a.se)")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="http://a.se"' in html


def test_the_weekly_digest_reads_through_the_readers_selectors(world: World) -> None:
    member = world.users["member"]
    _opt_in(member, newsletters=False, weekly_digest=True)
    now = timezone.now()
    for story in (world.alpha_story, world.hidden_story):
        StoryEvent.objects.create(
            story=story, action=StoryEvent.Action.VERIFIED, at=now - dt.timedelta(days=2)
        )
    assert digests.digests_send(now) == 1
    (message,) = mail.outbox
    assert world.alpha_story.reference in message.body
    assert world.hidden_story.reference not in message.body  # confidential: not the member's
    assert world.alpha_story.title not in message.body  # references, never words
    assert "List-Unsubscribe" in message.extra_headers
    # Within the week nothing more; a week later with nothing new, nothing at all.
    assert digests.digests_send(now + dt.timedelta(days=1)) == 0
    assert digests.digests_send(now + dt.timedelta(days=8)) == 0
    assert len(mail.outbox) == 1


def test_one_chooses_what_to_receive(world: World, client_as: Callable[[str], Client]) -> None:
    partner = client_as("partner")
    assert partner.get(reverse("mail-settings")).status_code == 200
    response = partner.post(reverse("mail-settings"), {"weekly_digest": "on"})
    assert response.status_code == 302
    preference = MailPreference.objects.get(user=world.users["partner"])
    assert preference.weekly_digest and not preference.newsletters


NEWSLETTER_LIST_QUERIES = 5


def test_the_sent_log_reads_a_fixed_number_of_queries(
    world: World, client_as: Callable[[str], Client], django_assert_num_queries: Any
) -> None:
    staff = client_as("staff")
    for number in range(6):
        newsletter = Newsletter.objects.create(
            subject=f"Letter {number}",
            body="Hello",
            audience="network",
            network=world.network,
            author=world.users["staff"],
            status="sent",
        )
        Delivery.objects.create(newsletter=newsletter, user=world.users["member"], status="sent")
    with django_assert_num_queries(NEWSLETTER_LIST_QUERIES):
        assert staff.get(reverse("newsletter-list")).status_code == 200


def test_the_one_who_asked_is_told_the_decision(
    world: World, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    from mailings import notices
    from partners.models import MembershipRequest

    member = world.users["member"]
    other = factories.NetworkFactory.create(name="Asia network")
    assert member.member_organisation is not None
    asked = MembershipRequest.objects.create(
        network=other,
        member_organisation=member.member_organisation,
        kind="join",
        requested_by=member,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_as("staff").post(
            reverse("network-request-decide", args=[asked.pk]), {"action": "approve"}
        )
    notices.tell_request_decisions()  # with a broker (the PostgreSQL run) the task went there
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Asia network" in message.subject and "approved" in message.subject
    assert "join Asia network" in message.body
    asked.refresh_from_db()
    assert asked.told_at is not None
    assert notices.tell_request_decisions() == 0  # told once
