"""Pledged against received, worked by hand (``solidarity.ledger``): pledges that start or end
in the middle of the period, ongoing ones, payments outside the period, reports not yet
confirmed, and what the totals add up under each head."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import World
from solidarity import ledger
from solidarity.models import Contribution
from tests import factories

D = dt.date


@pytest.mark.parametrize(
    ("first", "last", "start", "end", "months"),
    [
        # Mid-March to mid-August, the whole year: March..August.
        (D(2026, 3, 15), D(2026, 8, 10), D(2026, 1, 1), D(2026, 12, 31), 6),
        # The same pledge, the third quarter: July and August.
        (D(2026, 3, 15), D(2026, 8, 10), D(2026, 7, 1), D(2026, 9, 30), 2),
        # Until further notice from 25 October, counted up to 30 November: October, November.
        (D(2026, 10, 25), None, D(2026, 1, 1), D(2026, 11, 30), 2),
        # Began last year: only this year's months count.
        (D(2025, 6, 25), None, D(2026, 1, 1), D(2026, 3, 31), 3),
        # Starts after the period: nothing expected.
        (D(2027, 1, 25), None, D(2026, 1, 1), D(2026, 12, 31), 0),
        # Ended before the period: nothing expected.
        (D(2025, 1, 25), D(2025, 12, 25), D(2026, 1, 1), D(2026, 12, 31), 0),
        # One month's pledge, in the period's first month, the period starting on the 20th.
        (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 20), D(2026, 4, 30), 1),
    ],
)
def test_expected_months(
    first: dt.date, last: dt.date | None, start: dt.date, end: dt.date, months: int
) -> None:
    assert ledger.expected_months(first, last, start, end) == months


def _row(world: World, **fields: object) -> Contribution:
    fields.setdefault("member_organisation", world.users["member"].member_organisation)
    fields.setdefault("network", world.network)
    return factories.ContributionFactory.create(**fields)


def test_pledged_against_received_and_the_totals(world: World) -> None:
    member = world.users["member"].member_organisation
    pledge = _row(
        world,
        kind=Contribution.Kind.MONTHLY_PLEDGE,
        amount_sek=Decimal(500),
        date=D(2026, 3, 15),
        ends_on=D(2026, 8, 10),
    )
    ongoing = _row(
        world,
        kind=Contribution.Kind.MONTHLY_PLEDGE,
        member_organisation=None,
        donor_name="Annika Forsberg",
        amount_sek=Decimal(200),
        date=D(2026, 10, 25),
        network=None,
        program=world.program,
    )
    # The first pledge paid March to June (four months), a payment of last year not counted.
    for month in (3, 4, 5, 6):
        _row(
            world,
            kind=Contribution.Kind.PLEDGE_PAYMENT,
            pledge=pledge,
            amount_sek=Decimal(500),
            date=D(2026, month, 25),
        )
    _row(
        world,
        kind=Contribution.Kind.PLEDGE_PAYMENT,
        pledge=ongoing,
        member_organisation=None,
        donor_name="Annika Forsberg",
        network=None,
        program=world.program,
        amount_sek=Decimal(200),
        date=D(2026, 10, 25),
    )
    _row(world, kind=Contribution.Kind.ONE_OFF_GIFT, amount_sek=Decimal(1000), date=D(2026, 2, 1))
    _row(
        world,
        kind=Contribution.Kind.WORKPLACE_COLLECTION,
        amount_sek=Decimal(750),
        date=D(2026, 5, 1),
    )
    _row(
        world,
        kind=Contribution.Kind.STUDY_CIRCLE,
        amount_sek=None,
        hours=Decimal(12),
        date=D(2026, 4, 1),
    )
    # Waiting for staff, declined, and last year's: none counts.
    _row(
        world,
        kind=Contribution.Kind.WORKPLACE_COLLECTION,
        amount_sek=Decimal(9000),
        date=D(2026, 6, 1),
        status=Contribution.Status.REPORTED,
    )
    _row(
        world,
        kind=Contribution.Kind.WORKPLACE_COLLECTION,
        amount_sek=Decimal(8000),
        date=D(2026, 6, 2),
        status=Contribution.Status.DECLINED,
    )
    _row(world, kind=Contribution.Kind.ONE_OFF_GIFT, amount_sek=Decimal(7000), date=D(2025, 12, 31))
    assert member is not None

    result = ledger.ledger(
        Contribution.objects.all(), D(2026, 1, 1), D(2026, 12, 31), today=D(2026, 11, 30)
    )
    # 1000 + 750 + 4 x 500 + 200; the study circle has hours, no money.
    assert result.received_sek == Decimal(3950)
    assert result.hours == Decimal(12)
    assert result.study_circles == 1
    by_pledge = {line.pledge.pk: line for line in result.pledges}
    # March..August expected (6 x 500), four paid: 1000 behind.
    assert by_pledge[pledge.pk].expected == Decimal(3000)
    assert by_pledge[pledge.pk].received == Decimal(2000)
    assert by_pledge[pledge.pk].behind == Decimal(1000)
    # October and November expected, October paid.
    assert by_pledge[ongoing.pk].expected == Decimal(400)
    assert by_pledge[ongoing.pk].behind == Decimal(200)
    assert result.expected_on_pledges == Decimal(3400)
    assert result.received_on_pledges == Decimal(2200)
    # On 30 November only the ongoing pledge runs.
    assert result.pledged_a_month == Decimal(200)
    by_network = {line.label: line.amount_sek for line in result.by_network}
    assert by_network == {world.network.name: Decimal(3750), "": Decimal(200)}
    by_program = {line.label: line.amount_sek for line in result.by_program}
    assert by_program[world.program.title] == Decimal(200)
    by_month = {line.label: line.amount_sek for line in result.by_month}
    assert by_month["2026-05"] == Decimal(1250)  # the collection and May's payment

    # The third quarter: July and August expected of the first pledge, nothing paid then.
    quarter = ledger.ledger(
        Contribution.objects.all(), D(2026, 7, 1), D(2026, 9, 30), today=D(2026, 11, 30)
    )
    lines = {line.pledge.pk: line for line in quarter.pledges}
    assert lines[pledge.pk].expected == Decimal(1000)
    assert lines[pledge.pk].received == 0
    assert ongoing.pk not in lines  # it begins after the quarter
    assert quarter.received_sek == 0


def test_a_payment_takes_its_pledges_contributor_and_purpose(world: World) -> None:
    from solidarity import services

    pledge = _row(
        world, kind=Contribution.Kind.MONTHLY_PLEDGE, amount_sek=Decimal(300), date=D(2026, 1, 25)
    )
    payment = Contribution(
        kind=Contribution.Kind.PLEDGE_PAYMENT,
        pledge=pledge,
        amount_sek=Decimal(300),
        date=D(2026, 1, 25),
    )
    services.contribution_save(actor=world.users["staff"], contribution=payment)
    payment.refresh_from_db()
    assert payment.member_organisation_id == pledge.member_organisation_id
    assert payment.network_id == pledge.network_id
