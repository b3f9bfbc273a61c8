"""The shapes of a report: rows of figures, sections with their chart and table, the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.charts import Chart, Figure
from reporting import disclosure

SIGNIFICANCE_LEVELS = (1, 2, 3, 4, 5)
TOP_PARTNERS = 20


@dataclass(frozen=True)
class Row:
    label: str
    figures: list[Figure]
    total: Figure | None = None


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    chart: Chart | None = None
    note: str = ""
    row_header: str = ""
    # Columns are periods, oldest first (as the chart draws them). The table shows them newest
    # first, after the total, and across the whole width: the figures people look for first are
    # in view without scrolling sideways, on a phone too (only older periods lie to the right).
    over_time: bool = False


@dataclass
class Report:
    sections: list[Section]
    headline: list[tuple[str, Figure]]
    filters: dict[str, Any]
    figures_as_of: dt.datetime | None
    refresh_pending: bool
    suppressed: bool
    pseudonymised: bool
    downloads: list[tuple[str, str, str, str]] = field(default_factory=list)
    period: disclosure.Period | None = None  # a network member's chosen period
