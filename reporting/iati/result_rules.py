"""IATI's rules on the results of an activity (IATI/IATI-Rulesets, ``../shared/iati/README.md``),
as the check page applies them: on indicator values, period lengths and dates.

Each finding names the element it is about (the indicator, its baseline, a period, a target or
an actual), so that the check page can say which indicator and period it concerns and link to
the record to fix.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from lxml import etree

QUALITATIVE, PERCENTAGE = "5", "2"
Fail = Callable[[str, etree._Element], None]


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def one_year_on(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, month=3, day=1)


def _check_value(element: etree._Element, what: str, measure: str, fail: Fail) -> None:
    """A figure of a quantitative indicator: present, a number, and a share within 0 to 100."""
    value = element.get("value")
    if value is None:
        fail(f"{what} without a value", element)
        return
    try:
        number = Decimal(value)
    except InvalidOperation:
        fail(f"{what} whose value {value!r} is not a number", element)
        return
    if not number.is_finite():
        fail(f"{what} whose value {value!r} is not a number", element)
    elif measure == PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        fail(f"{what} of {value} %, outside 0 to 100", element)


def _period_rules(
    period: etree._Element,
    measure: str,
    baseline_year: int | None,
    baseline: etree._Element | None,
    today: datetime.date,
    fail: Fail,
) -> None:
    start = parse_date(_iso_date(period, "period-start"))
    end = parse_date(_iso_date(period, "period-end"))
    if start is not None and end is not None:
        if end < start:
            fail(f"the period {start}–{end} ends before it starts", period)
        elif end >= one_year_on(start):
            fail(f"the period {start}–{end} is longer than a year", period)
        if baseline_year is not None and baseline is not None and baseline_year > end.year:
            fail(f"the baseline of {baseline_year} is after the period {start}–{end}", baseline)
    actuals = period.findall("actual")
    if actuals and start is not None and start > today:
        fail(f"an actual for the period {start}–{end}, which has not begun", period)
    if measure == QUALITATIVE:
        return
    for target in period.iterfind("target"):
        _check_value(target, "a target", measure, fail)
    for actual in actuals:
        _check_value(actual, "an actual", measure, fail)


def _iso_date(parent: etree._Element, tag: str) -> str | None:
    element = parent.find(tag)
    return element.get("iso-date") if element is not None else None


def result_rules(activity: etree._Element, today: datetime.date, fail: Fail) -> None:
    for indicator in activity.iterfind("result/indicator"):
        measure = indicator.get("measure", "")
        if measure == QUALITATIVE and indicator.xpath(
            ".//*[self::baseline or self::target or self::actual][@value]"
        ):
            fail("a qualitative indicator carries baseline, target or actual values", indicator)
        baseline = indicator.find("baseline")
        baseline_year: int | None = None
        if baseline is not None:
            year = baseline.get("year")
            if year is None or not year.isdigit():
                fail("a baseline without a year", baseline)
            else:
                baseline_year = int(year)
            if measure != QUALITATIVE:
                _check_value(baseline, "a baseline", measure, fail)
        for period in indicator.iterfind("period"):
            _period_rules(period, measure, baseline_year, baseline, today, fail)
