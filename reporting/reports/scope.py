"""Which cells a report reads (the viewer's scope, its filters), and the links behind them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from partners.selectors import (
    report_identifies_every_cell,
)
from portal import exports
from portal.access import as_user
from portal.charts import Figure
from reporting.models import (
    ActivityAggregate,
    GroupRollup,
    PartnerRollup,
    StoryAggregate,
    StoryRollup,
    TypeRollup,
)
from reporting.selectors import visible_report_cells

# --- Scope and filters ------------------------------------------------------------------------


def _last_day(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def story_cells(user: Any, filters: Mapping[str, Any]) -> QuerySet[StoryAggregate]:
    cells = visible_report_cells(user, StoryAggregate.objects.all())
    return _filtered(user, cells, filters, period_field="month")


@dataclass(frozen=True)
class StorySlices:
    """The story figures a report reads, one query set per kind of section."""

    stories: QuerySet[Any]  # each story once
    typed: QuerySet[Any]  # once per change type its teller chose
    grouped: QuerySet[Any]  # once per target group it names
    partnered: QuerySet[Any]  # each story once, by partner


# The filters the roll-ups hold; with any other (a country, a partner) the report reads cells.
ROLLUP_FILTERS = frozenset({"month_from", "month_to", "program", "focus_area"})


def story_slices(user: Any, filters: Mapping[str, Any], *, rollups: bool = True) -> StorySlices:
    """Staff's report with the filters the roll-ups hold reads the roll-ups (a few thousand
    rows); any other report reads the cells in its viewer's scope. Both give the same figures
    (``tests/reporting/test_rollups.py``)."""
    viewer = as_user(user)
    active = {name for name, value in filters.items() if value not in (None, "", [])}
    if rollups and viewer is not None and viewer.is_portal_staff and active <= ROLLUP_FILTERS:

        def rolled(model: type[Any]) -> QuerySet[Any]:
            return _filtered(user, model.objects.all(), filters, period_field="month")

        return StorySlices(
            rolled(StoryRollup), rolled(TypeRollup), rolled(GroupRollup), rolled(PartnerRollup)
        )
    cells = story_cells(user, filters)
    stories = cells.filter(change_type__isnull=True, target_group__isnull=True)
    return StorySlices(
        stories,
        cells.filter(change_type__isnull=False),
        cells.filter(target_group__isnull=False),
        stories,
    )


def activity_cells(user: Any, filters: Mapping[str, Any]) -> QuerySet[ActivityAggregate]:
    cells = visible_report_cells(user, ActivityAggregate.objects.all())
    return _filtered(user, cells, filters, period_field="quarter")


def quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return _last_day(start.replace(month=start.month + 2))


def quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _filtered(
    user: Any, cells: QuerySet[Any], filters: Mapping[str, Any], *, period_field: str
) -> QuerySet[Any]:
    # Activity cells are quarters: a period in months widens to the quarters it touches.
    snap = quarter_start if period_field == "quarter" else (lambda month: month)
    if start := filters.get("month_from"):
        cells = cells.filter(**{f"{period_field}__gte": snap(start)})
    if end := filters.get("month_to"):
        cells = cells.filter(**{f"{period_field}__lte": snap(end)})
    if program := filters.get("program"):
        cells = cells.filter(program=program)
    if focus_area := filters.get("focus_area"):
        cells = cells.filter(focus_area=focus_area)
    if partner := filters.get("partner"):
        cells = cells.filter(partner=partner)
    if country := filters.get("country"):
        cells = cells.filter(country=country)
        if not report_identifies_every_cell(user):
            # A confidential partner's figures are shown by region only: a country filter that
            # kept them would tell the viewer which country the partner works in.
            cells = cells.filter(partner__is_confidential=False)
    return cells


def _base_query(filters: Mapping[str, Any]) -> dict[str, str]:
    """The report's filters as the story list understands them."""
    query: dict[str, str] = {"counted": "1"}
    if start := filters.get("month_from"):
        query["event_date_after"] = start.isoformat()
    if end := filters.get("month_to"):
        query["event_date_before"] = _last_day(end).isoformat()
    for key in ("program", "partner"):
        if value := filters.get(key):
            query[key] = str(value.pk)
    for key in ("focus_area", "country"):
        if value := filters.get(key):
            query[key] = value
    return query


class Links:
    """Click-through addresses: the story or activity list with the cell's filters."""

    def __init__(self, filters: Mapping[str, Any]) -> None:
        self.base = _base_query(filters)
        self.activity_base = {k: v for k, v in self.base.items() if not k.startswith("event_")}
        self.activity_base.pop("counted")
        if start := filters.get("month_from"):
            self.activity_base["date_after"] = quarter_start(start).isoformat()
        if end := filters.get("month_to"):
            self.activity_base["date_before"] = quarter_end(end).isoformat()

    def stories(self, **extra: Any) -> str:
        return f"{reverse('story-list')}?{urlencode({**self.base, **extra})}"

    def activities(self, **extra: Any) -> str:
        return f"{reverse('activity-list')}?{urlencode({**self.activity_base, **extra})}"

    def downloads(self, query: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
        """(what, CSV, semicolon CSV and XLSX addresses) for the report's cells and records."""
        figures = {key: value for key, value in query.items() if value}

        def every(what: str, name: str, params: Mapping[str, Any]) -> tuple[str, str, str, str]:
            csv, semicolon, xlsx = (
                f"{reverse(name, args=[fmt])}?{urlencode(params)}" for fmt in exports.FORMATS
            )
            return what, csv, semicolon, xlsx

        return [
            every(_("Figures"), "report-figures-export", figures),
            every(_("Stories counted"), "story-export", self.base),
            every(_("Activities"), "activity-export", self.activity_base),
        ]


class Figures:
    """Makes the figures of staff's and partner users' reports: exact counts, each a link.

    Network members' figures come from ``reporting.disclosure`` instead.
    """

    def __call__(self, value: int | None, href: str = "") -> Figure:
        value = value or 0
        return Figure(value, href if value else "")

    def total(self, figures: Iterable[Figure], href: str = "") -> Figure:
        return self(sum(figure.value for figure in figures), href)
