"""Following a plan up item by item: how many times each planned activity was held against the
number planned, and whether it is done, on track, behind or missed (issue #14, item 2).

The plan-wide totals compared before hid a missed training behind extra study circles; each
item is judged on its own here, and activities that no item asked for are listed apart and
never counted as "held" against the plan.

An item's **window** is its quarter (set, or taken from its date), or the whole year when it
has neither. On a given day an item is

- **done** once it was held at least as often as planned;
- **missed** once its window has ended short of that;
- **behind** while its window runs and it was held fewer times than the share of the window
  already passed asks for (rounded down: one training planned in a quarter is behind only when
  the quarter is over, and is then missed; four study circles over the year are behind at
  midsummer with fewer than two);
- **on track** otherwise, which includes every item whose window has not begun.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Status(TextChoices):
    DONE = "done", _("done")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind")
    MISSED = "missed", _("missed")


def window(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day of a quarter of ``year``, or of the whole year."""
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def expected_by(start: dt.date, end: dt.date, target: int, today: dt.date) -> int:
    """How many of ``target`` should have been held by ``today`` in the window, rounded down."""
    if today < start:
        return 0
    if today > end:
        return target
    passed = (today - start).days + 1
    return math.floor(target * passed / ((end - start).days + 1))


def status(*, held: int, target: int, start: dt.date, end: dt.date, today: dt.date) -> Status:
    if held >= target:
        return Status.DONE
    if today > end:
        return Status.MISSED
    if held < expected_by(start, end, target, today):
        return Status.BEHIND
    return Status.ON_TRACK


@dataclass(frozen=True)
class ItemFollowUp:
    """One planned item on a day: held (activities linked to it) against its target."""

    target: int
    held: int
    start: dt.date
    end: dt.date
    status: Status


def follow_up(
    *, year: int, quarter: int | None, target: int, held: int, today: dt.date
) -> ItemFollowUp:
    """A planned item of a plan of ``year`` (its quarter, or the whole year) held ``held``
    times, on ``today``."""
    start, end = window(year, quarter)
    return ItemFollowUp(
        target,
        held,
        start,
        end,
        status(held=held, target=target, start=start, end=end, today=today),
    )
