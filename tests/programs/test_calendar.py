"""The calendar of a person's units and networks, on a page and as an iCalendar feed behind a
revocable secret address (issue #14, item 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import World
from programs.models import CalendarFeed
from tests import factories

TODAY = timezone.localdate()


def _member_calendar(world: World) -> None:
    """The member's organisation: a training planned for a day next month, a meeting held last
    week; a stranger organisation's activity; a confidential partner's activity."""
    district = world.users["member"].member_organisation
    plan = factories.ActivityPlanFactory.create(member_organisation=district, year=TODAY.year)
    factories.PlannedActivityFactory.create(
        plan=plan,
        title="Budget training for treasurers",
        date=TODAY + dt.timedelta(days=20),
        network=world.network,
    )
    factories.ActivityFactory.create(
        project=None,
        partner=None,
        member_organisation=district,
        title="Branch chairs' meeting",
        kind="meeting",
        date=TODAY - dt.timedelta(days=7),
    )
    factories.ActivityFactory.create(
        project=None,
        partner=None,
        member_organisation=factories.MemberOrganisationFactory.create(),
        title="Another club's study circle",
        date=TODAY - dt.timedelta(days=3),
    )
    factories.ActivityFactory.create(
        project=world.hidden_project, title="Safe organising training", date=TODAY
    )


def _feed(client: Client, token: str) -> Calendar:
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    return Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> set[str]:
    return {str(event["summary"]) for event in calendar.walk("VEVENT")}


def test_the_member_sees_its_units_coming_and_past_activities(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _member_calendar(world)
    page = client_as("member").get(reverse("calendar")).content.decode()
    table = page.split('data-testid="calendar"')[1]
    assert "Budget training for treasurers" in table and "Branch chairs" in table
    assert "Another club" not in table and "Safe organising" not in table
    other = factories.NetworkFactory.create()
    filtered = client_as("member").get(reverse("calendar") + f"?network={other.pk}")
    assert filtered.status_code == 200  # a network it is not in is simply not a choice
    mine = client_as("member").get(reverse("calendar") + f"?network={world.network.pk}")
    assert "Budget training" in mine.content.decode().split('data-testid="calendar"')[1]


def test_a_feed_address_works_until_it_is_renewed_or_stopped(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _member_calendar(world)
    member = client_as("member")
    member.post(reverse("calendar-subscription"), {"action": "renew"})
    first = CalendarFeed.objects.get(user=world.users["member"]).token
    assert first in member.get(reverse("calendar")).content.decode()
    anonymous = Client()
    assert _summaries(_feed(anonymous, first)) == {
        "Budget training for treasurers",
        "Branch chairs' meeting",
    }
    member.post(reverse("calendar-subscription"), {"action": "renew"})
    second = CalendarFeed.objects.get(user=world.users["member"]).token
    assert second != first
    assert anonymous.get(reverse("calendar-feed", args=[first])).status_code == 404
    _feed(anonymous, second)
    member.post(reverse("calendar-subscription"), {"action": "revoke"})
    assert anonymous.get(reverse("calendar-feed", args=[second])).status_code == 404
    assert anonymous.get(reverse("calendar-feed", args=["no-such-secret"])).status_code == 404


def test_the_feed_never_carries_a_confidential_partners_activity(
    world: World, client_as: Callable[[str], Client]
) -> None:
    """Cleared staff see it on the page; the feed leaves the portal for a calendar service."""
    _member_calendar(world)
    staff = client_as("staff")
    assert "Safe organising training" in staff.get(reverse("calendar")).content.decode()
    staff.post(reverse("calendar-subscription"), {"action": "renew"})
    token = CalendarFeed.objects.get(user=world.users["staff"]).token
    summaries = _summaries(_feed(Client(), token))
    assert "Safe organising training" not in summaries
    assert (
        world.hidden.name
        not in Client().get(reverse("calendar-feed", args=[token])).content.decode()
    )


def test_an_inactive_persons_feed_is_gone(world: World, client_as: Callable[[str], Client]) -> None:
    client_as("partner").post(reverse("calendar-subscription"), {"action": "renew"})
    token = CalendarFeed.objects.get(user=world.users["partner"]).token
    _feed(Client(), token)
    world.users["partner"].is_active = False
    world.users["partner"].save()
    assert Client().get(reverse("calendar-feed", args=[token])).status_code == 404
