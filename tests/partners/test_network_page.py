"""A network's page (issue #14, item 5): its partners (a confidential one only as "a partner in
<region>" to whoever may not see it), programmes, what its members gave together, what its
plans brought, and the verified stories the viewer may read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.test import Client

from conftest import World
from progress.models import ChangeStory
from solidarity.models import Contribution
from tests import factories

TODAY = dt.date.today()


def _url(world: World) -> str:
    return f"/networks/{world.network.pk}/"


def _giving(world: World) -> None:
    ours = world.users["member"].member_organisation
    other = factories.MemberOrganisationFactory.create()
    for organisation, amount in ((ours, 1000), (other, 2500)):
        factories.ContributionFactory.create(
            member_organisation=organisation, network=world.network, amount_sek=Decimal(amount)
        )
    factories.ContributionFactory.create(
        member_organisation=None,
        donor_name="Gunilla Privat",
        network=world.network,
        amount_sek=Decimal(500),
    )
    # Waiting for staff, a year and more ago, and another network's: none counts.
    factories.ContributionFactory.create(
        member_organisation=ours,
        network=world.network,
        amount_sek=Decimal(9000),
        status=Contribution.Status.REPORTED,
    )
    factories.ContributionFactory.create(
        member_organisation=ours,
        network=world.network,
        amount_sek=Decimal(8000),
        date=TODAY - dt.timedelta(days=400),
    )
    factories.ContributionFactory.create(member_organisation=ours, amount_sek=Decimal(7000))
    factories.ContributionFactory.create(
        kind=Contribution.Kind.MONTHLY_PLEDGE,
        member_organisation=ours,
        network=world.network,
        amount_sek=Decimal(300),
        date=TODAY.replace(day=1) - dt.timedelta(days=40),
    )


def _held(world: World) -> None:
    item = factories.PlannedActivityFactory.create(network=world.network)
    factories.ActivityFactory.create(
        planned=item,
        project=world.alpha_project,
        participants_women=10,
        participants_men=5,
        participants_other=0,
        participants_youth=4,
    )
    # A confidential partner's activity under the network's plan is not counted for anyone.
    factories.ActivityFactory.create(planned=item, project=world.hidden_project)


def test_members_and_officers_meet_a_confidential_partner_only_by_its_region(
    world: World, client_as: Callable[[str], Client]
) -> None:
    for role in ("member", "officer"):
        page = client_as(role).get(_url(world)).content.decode()
        partners = page.split('data-testid="network-partners"')[1].split("</ul>")[0]
        assert world.alpha.name in partners
        assert "a partner in Middle East and North Africa" in partners
        for secret in (world.hidden.name, world.hidden.pseudonym, "Turkey", "Izmir"):
            assert secret not in page, (role, secret)
    cleared = client_as("staff").get(_url(world)).content.decode()
    assert world.hidden.name in cleared and "a partner in" not in cleared


def test_the_page_pools_the_giving_and_counts_what_the_plans_brought(
    world: World, client_as: Callable[[str], Client]
) -> None:
    _giving(world)
    _held(world)
    for role in ("member", "staff"):
        page = client_as(role).get(_url(world)).content.decode()
        pooled = page.split('data-testid="network-pooled"')[1].split("</p>")[0]
        assert "3,500 SEK and 0 hours, from 2 member organisations" not in pooled  # the donor
        assert "4,000 SEK and 0 hours, from 2 member organisations and 1 individual" in pooled
        assert "promise 300 SEK a month" in pooled
        assert "Gunilla" not in page
        held = page.split('data-testid="network-activities"')[1].split("</p>")[0]
        assert "1 activity" in held and "10 women, 5 men and 0 others" in held
    assert (
        "Open the ledger for this network"
        not in client_as("member").get(_url(world)).content.decode()
    )


def test_the_stories_are_those_the_viewer_may_read(
    world: World, client_as: Callable[[str], Client]
) -> None:
    unquotable = factories.StoryFactory.create(
        partner=world.alpha,
        title="Not to be quoted",
        status=ChangeStory.Status.VERIFIED,
        consent_quote_internal=False,
    )
    member = client_as("member").get(_url(world)).content.decode()
    stories = member.split('data-testid="network-stories"')[1].split("</ul>")[0]
    assert world.alpha_story.title in stories
    assert world.hidden_story.title not in member and unquotable.title not in member
    staff = client_as("staff").get(_url(world)).content.decode()
    assert world.hidden_story.title in staff and unquotable.title in staff


NETWORK_QUERIES = 11


def test_the_network_page_reads_a_fixed_number_of_queries(
    world: World, client_as: Callable[[str], Client], django_assert_num_queries: Any
) -> None:
    member = client_as("member")
    with django_assert_num_queries(NETWORK_QUERIES):
        member.get(_url(world))
    _giving(world)
    _held(world)
    with django_assert_num_queries(NETWORK_QUERIES):
        member.get(_url(world))
