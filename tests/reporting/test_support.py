""" "What your support made possible" (issue #14, item 6): a member organisation's gifts of the
last twelve months, where they went, and the stories it may quote, with no confidential partner
named; for its own users only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from solidarity.models import Contribution
from tests import factories

TODAY = timezone.localdate()
URL = "/reports/support/"


def test_the_member_reads_what_it_gave_and_what_changed(
    world: World, client_as: Callable[[str], Client]
) -> None:
    ours = world.users["member"].member_organisation
    for kind, amount, hours, days_ago, network, program in (
        (Contribution.Kind.ONE_OFF_GIFT, 1000, None, 10, world.network, None),
        (Contribution.Kind.WORKPLACE_COLLECTION, 500, None, 200, world.network, None),
        (Contribution.Kind.EXPERTISE_HOURS, None, 12, 30, None, world.program),
        # Too old for these twelve months, and another organisation's: neither counts.
        (Contribution.Kind.ONE_OFF_GIFT, 9000, None, 400, world.network, None),
    ):
        factories.ContributionFactory.create(
            member_organisation=ours,
            kind=kind,
            amount_sek=None if amount is None else Decimal(amount),
            hours=None if hours is None else Decimal(hours),
            date=TODAY - dt.timedelta(days=days_ago),
            network=network,
            program=program,
        )
    factories.ContributionFactory.create(network=world.network, amount_sek=Decimal(7777))
    response = client_as("member").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert ">1,500<" in page.split('data-testid="given-sek"')[1][:40]
    assert ">12<" in page.split('data-testid="given-hours"')[1][:40]
    to = page.split('data-testid="given-to"')[1]
    assert reverse("network-detail", args=[world.network.pk]) in to
    assert reverse("program-detail", args=[world.program.pk]) in to
    assert "7,777" not in page and "9,000" not in page
    assert world.alpha_story.title in page  # verified, quotable, a partner of the network
    for secret in (world.hidden.name, world.hidden_story.title, world.hidden_project.title):
        assert secret not in page
    assert reverse("program-results", args=[world.program.pk]) in page


def test_it_is_the_member_organisations_page_only(
    world: World, client_as: Callable[[str], Client]
) -> None:
    for role in ("admin", "staff", "officer", "partner", "secret"):
        assert client_as(role).get(URL).status_code == 404, role
    assert reverse("member-support") in client_as("member").get("/").content.decode()
