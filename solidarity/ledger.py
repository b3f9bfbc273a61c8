"""What the ledger adds up to over a period: money received, time given, pledges kept.

Only confirmed rows count; a member's report waiting for staff, or declined, does not. A monthly
pledge is a promise, not money: its own row never counts as received; its payments do (they
carry the pledge's contributor, network and programme, so they add up under the same heads).

A pledge of A a month expects A for every calendar month it runs, from the month of its first
date to the month of its last (none: until further notice), counted within the period and up to
today: a pledge that starts on 15 March expects March's payment; one that ends on 10 August
expects August's. Received is what its payments dated within the period add up to. Worked
examples: ``tests/solidarity/test_ledger.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from solidarity.models import Contribution, month_start

ZERO = Decimal(0)


def months_from(first: dt.date, last: dt.date) -> int:
    """Calendar months from ``first``'s to ``last``'s, both counted; 0 when ``last`` is in an
    earlier month."""
    return max((last.year - first.year) * 12 + last.month - first.month + 1, 0)


def expected_months(
    pledge_first: dt.date, pledge_last: dt.date | None, start: dt.date, end: dt.date
) -> int:
    """The months of a pledge running from ``pledge_first`` to ``pledge_last`` that fall
    between ``start`` and ``end``."""
    first = max(month_start(pledge_first), month_start(start))
    last = end if pledge_last is None else min(pledge_last, end)
    return months_from(first, last)


def expected(pledge: Contribution, start: dt.date, end: dt.date) -> Decimal:
    """What ``pledge`` promised for the months between ``start`` and ``end``."""
    return (pledge.amount_sek or ZERO) * expected_months(pledge.date, pledge.ends_on, start, end)


def in_period(rows: QuerySet[Contribution], start: dt.date, end: dt.date) -> QuerySet[Contribution]:
    """The rows dated in the period, and the pledges that run during it whenever they began."""
    return rows.filter(
        Q(date__range=(start, end))
        | Q(kind=Contribution.Kind.MONTHLY_PLEDGE, date__lte=end)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )


@dataclass(frozen=True)
class Line:
    label: str
    amount_sek: Decimal
    hours: Decimal
    count: int


@dataclass(frozen=True)
class PledgeLine:
    pledge: Contribution
    expected: Decimal
    received: Decimal

    @property
    def behind(self) -> Decimal:
        return max(self.expected - self.received, ZERO)


@dataclass
class Ledger:
    start: dt.date
    end: dt.date
    to_date: dt.date
    received_sek: Decimal = ZERO
    hours: Decimal = ZERO
    study_circles: int = 0
    by_kind: list[Line] = field(default_factory=list)
    by_network: list[Line] = field(default_factory=list)
    by_program: list[Line] = field(default_factory=list)
    by_month: list[Line] = field(default_factory=list)
    pledges: list[PledgeLine] = field(default_factory=list)

    @property
    def expected_on_pledges(self) -> Decimal:
        return sum((line.expected for line in self.pledges), ZERO)

    @property
    def received_on_pledges(self) -> Decimal:
        return sum((line.received for line in self.pledges), ZERO)

    @property
    def pledged_a_month(self) -> Decimal:
        """What the pledges running on the last day counted promise each month."""
        day = self.to_date
        return sum(
            (
                line.pledge.amount_sek or ZERO
                for line in self.pledges
                if line.pledge.date <= day and (line.pledge.ends_on or day) >= month_start(day)
            ),
            ZERO,
        )


def _lines(rows: QuerySet[Contribution], key: str, label: str) -> list[tuple[object, Line]]:
    grouped = (
        rows.values(key, label)
        .annotate(amount=Sum("amount_sek"), time=Sum("hours"), number=Count("pk"))
        .order_by(label)
    )
    return [
        (
            row[key],
            Line(
                label=str(row[label] or ""),
                amount_sek=row["amount"] or ZERO,
                hours=row["time"] or ZERO,
                count=row["number"],
            ),
        )
        for row in grouped
    ]


def ledger(rows: QuerySet[Contribution], start: dt.date, end: dt.date, today: dt.date) -> Ledger:
    """``rows`` (already scoped to the viewer and filtered) added up over the period; pledges
    expected up to ``today`` at the latest. Six queries whatever the number of rows."""
    to_date = min(end, today)
    result = Ledger(start=start, end=end, to_date=to_date)
    confirmed = rows.filter(status=Contribution.Status.CONFIRMED).order_by()
    given = confirmed.filter(date__range=(start, end)).exclude(
        kind=Contribution.Kind.MONTHLY_PLEDGE
    )
    labels = dict(Contribution.Kind.choices)
    for kind, line in _lines(given, "kind", "kind"):
        result.by_kind.append(
            Line(str(labels.get(str(kind), kind)), line.amount_sek, line.hours, line.count)
        )
        result.received_sek += line.amount_sek
        result.hours += line.hours
        if kind == Contribution.Kind.STUDY_CIRCLE:
            result.study_circles = line.count
    result.by_network = [line for _pk, line in _lines(given, "network_id", "network__name")]
    result.by_program = [line for _pk, line in _lines(given, "program_id", "program__title")]
    months = (
        given.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(amount=Sum("amount_sek"), time=Sum("hours"), number=Count("pk"))
        .order_by("month")
    )
    result.by_month = [
        Line(
            label=row["month"].strftime("%Y-%m"),
            amount_sek=row["amount"] or ZERO,
            hours=row["time"] or ZERO,
            count=row["number"],
        )
        for row in months
    ]
    pledges = (
        in_period(confirmed.filter(kind=Contribution.Kind.MONTHLY_PLEDGE), start, end)
        .annotate(
            paid=Sum(
                "payments__amount_sek",
                filter=Q(
                    payments__date__range=(start, end),
                    payments__status=Contribution.Status.CONFIRMED,
                ),
            )
        )
        .select_related("member_organisation", "network", "program")
        .order_by("date", "pk")
    )
    result.pledges = [
        PledgeLine(
            pledge=pledge,
            expected=expected(pledge, start, to_date),
            received=pledge.paid or ZERO,
        )
        for pledge in pledges
    ]
    return result
