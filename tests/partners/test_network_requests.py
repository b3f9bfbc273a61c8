"""Joining and leaving networks (issue #14, item 5): a member organisation asks, staff approve
or decline, and the membership opens or closes; nobody else asks or decides."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import World
from partners import services
from partners.models import MembershipRequest, NetworkMembership
from partners.selectors import visible_networks
from tests import factories


def _ask(client: Client, network: int, kind: str, note: str = "") -> str:
    response = client.post(
        reverse("network-join"), {"network": network, "kind": kind, "note": note}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_joins_and_leaves_once_staff_approve(
    world: World, client_as: Callable[[str], Client]
) -> None:
    member, staff = client_as("member"), client_as("staff")
    other = factories.NetworkFactory.create(name="Care work network")
    assert other.name in member.get(reverse("network-join")).content.decode()
    page = _ask(member, other.pk, "join", "We have a study circle on care work.")
    assert "Your request is sent" in page
    assert "waiting for staff" in page.split('data-testid="joinable"')[1]  # no second ask
    assert other not in visible_networks(world.users["member"])  # not before staff decide
    waiting = staff.get(reverse("network-requests")).content.decode()
    assert "We have a study circle on care work." in waiting
    asked = MembershipRequest.objects.get()
    staff.post(reverse("network-request-decide", args=[asked.pk]), {"action": "approve"})
    assert other in visible_networks(world.users["member"])
    _ask(member, other.pk, "leave")
    leaving = MembershipRequest.objects.get(status="pending")
    staff.post(reverse("network-request-decide", args=[leaving.pk]), {"action": "approve"})
    membership = NetworkMembership.objects.get(
        network=other, member_organisation=world.users["member"].member_organisation
    )
    assert membership.left_on is not None
    assert other not in visible_networks(world.users["member"])
    detail = staff.get(reverse("network-detail", args=[other.pk])).content.decode()
    assert membership.member_organisation.name not in detail  # left: not listed
    # Back again: the same membership starts anew.
    _ask(member, other.pk, "join")
    again = MembershipRequest.objects.get(status="pending")
    services.membership_decide(actor=world.users["staff"], request=again, approve=True)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_a_declined_request_changes_nothing(
    world: World, client_as: Callable[[str], Client]
) -> None:
    other = factories.NetworkFactory.create()
    _ask(client_as("member"), other.pk, "join")
    asked = MembershipRequest.objects.get()
    client_as("officer").post(
        reverse("network-request-decide", args=[asked.pk]), {"action": "decline"}
    )
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("declined", world.users["officer"])
    assert not NetworkMembership.objects.filter(network=other).exists()
    with pytest.raises(ValidationError):
        services.membership_decide(actor=world.users["staff"], request=asked, approve=True)


def test_requests_that_make_no_sense_are_refused_with_a_reason(
    world: World, client_as: Callable[[str], Client]
) -> None:
    member = client_as("member")
    other = factories.NetworkFactory.create()
    assert "already in this network" in _ask(member, world.network.pk, "join")
    assert "not in this network" in _ask(member, other.pk, "leave")
    _ask(member, other.pk, "join")
    assert "already waits for staff" in _ask(member, other.pk, "join")
    assert "Ask to join or to leave" in _ask(member, other.pk, "stay")
    assert MembershipRequest.objects.count() == 1
    response = member.post(reverse("network-join"), {"network": "x", "kind": "join"})
    assert response.status_code == 404


def test_only_members_ask_and_only_staff_decide(
    world: World, client_as: Callable[[str], Client]
) -> None:
    other = factories.NetworkFactory.create()
    for role in ("staff", "partner", "secret"):
        assert client_as(role).get(reverse("network-join")).status_code == 404, role
    for role in ("member", "partner"):
        assert client_as(role).get(reverse("network-requests")).status_code == 404, role
    _ask(client_as("member"), other.pk, "join")
    asked = MembershipRequest.objects.get()
    for role in ("member", "partner"):
        url = reverse("network-request-decide", args=[asked.pk])
        assert client_as(role).post(url, {"action": "approve"}).status_code == 404, role
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_two_asks_at_once_give_one_request_and_a_reason(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two simultaneous asks passed the service's check before the first was
    written: the constraint refuses it, and the member reads why, not a 500."""
    other = factories.NetworkFactory.create()
    member = world.users["member"]
    services.membership_ask(actor=member, network=other, kind="join")
    monkeypatch.setattr("django.db.models.query.QuerySet.exists", lambda self: False)
    with pytest.raises(ValidationError, match="already waits for staff"):
        services.membership_ask(actor=member, network=other, kind="join")
    monkeypatch.undo()
    assert MembershipRequest.objects.count() == 1
