"""Charts drawn on the server as SVG shapes, rendered by ``templates/portal/_chart.html``.

Why not a charting library: the ones that render SVG in Python (pygal, leather) style their
output with inline ``style`` attributes or an embedded stylesheet and script, which the
Content-Security-Policy here refuses, and none makes each bar a link to the records behind it.
The shapes needed are few — bars, stacked columns, shares — so they are computed here as plain
geometry; colours and fonts come from ``portal.css`` classes, so charts print well and follow
the page's theme. Every chart is shown beside a table of the same figures for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

LABEL_WIDTH = 180
PLOT_WIDTH = 290
ROW_HEIGHT = 24
BAR_HEIGHT = 17
COLUMN_PLOT_HEIGHT = 180
SERIES_CLASSES = 8  # .s0 … .s7 in portal.css


@dataclass(frozen=True)
class Figure:
    """One number in a report: its link to the records behind it, and whether it is hidden.

    A network member's figures (``reporting.disclosure``) carry the published value, never the
    count: ``suppressed`` ones (1 to 4) are shown as "<5", ``hidden`` ones as "hidden", and both
    are drawn as nothing; ``key`` names the figure in the page (``data-figure``).
    """

    value: int
    href: str = ""
    suppressed: bool = False
    hidden: bool = False
    key: str = ""

    @property
    def display(self) -> str:
        if self.suppressed:
            return _("<5")
        if self.hidden:
            return _("hidden")
        return str(intcomma(self.value))

    @property
    def drawn(self) -> int:
        return 0 if self.suppressed or self.hidden else self.value


@dataclass(frozen=True)
class Shape:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    href: str = ""


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = "chart-label"
    title: str = ""


@dataclass
class Chart:
    title: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(shape.width > 0 and shape.height > 0 for shape in self.shapes)


def _short(text: str, length: int = 22) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _scale(maximum: int, extent: float) -> float:
    return extent / maximum if maximum > 0 else 0.0


def bars(title: str, rows: Sequence[tuple[str, Figure]]) -> Chart:
    """Horizontal bars, one per row, each a link where the figure has one."""
    chart = Chart(title, LABEL_WIDTH + PLOT_WIDTH + 70, max(1, len(rows)) * ROW_HEIGHT + 4)
    unit = _scale(max((figure.drawn for _label, figure in rows), default=0), PLOT_WIDTH)
    for index, (label, figure) in enumerate(rows):
        y = index * ROW_HEIGHT + 4
        chart.labels.append(
            Label(LABEL_WIDTH - 8, y + BAR_HEIGHT - 4, _short(label), "end", title=label)
        )
        width = figure.drawn * unit
        chart.shapes.append(
            Shape(
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                "s0",
                f"{label}: {figure.display}",
                figure.href,
            )
        )
        chart.labels.append(Label(LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 4, figure.display))
    return chart


def paired_bars(
    title: str, rows: Sequence[tuple[str, Figure, Figure]], names: tuple[str, str]
) -> Chart:
    """Two thin bars per row, e.g. planned and held."""
    chart = Chart(title, LABEL_WIDTH + PLOT_WIDTH + 90, max(1, len(rows)) * ROW_HEIGHT * 1.5 + 4)
    chart.legend = [("s1", names[0]), ("s0", names[1])]
    maximum = max((max(a.drawn, b.drawn) for _label, a, b in rows), default=0)
    unit = _scale(maximum, PLOT_WIDTH)
    half = BAR_HEIGHT * 0.75
    for index, (label, first, second) in enumerate(rows):
        y = index * ROW_HEIGHT * 1.5 + 4
        chart.labels.append(Label(LABEL_WIDTH - 8, y + half + 4, _short(label), "end", title=label))
        for offset, css, name, figure in (
            (0.0, "s1", names[0], first),
            (half, "s0", names[1], second),
        ):
            width = figure.drawn * unit
            chart.shapes.append(
                Shape(
                    LABEL_WIDTH,
                    y + offset,
                    width,
                    half - 1,
                    css,
                    f"{label} — {name}: {figure.display}",
                    figure.href,
                )
            )
            chart.labels.append(
                Label(
                    LABEL_WIDTH + width + 6,
                    y + offset + half - 3,
                    figure.display,
                    css="chart-small",
                )
            )
    return chart


def stacked_columns(
    title: str, columns: Sequence[str], series: Sequence[tuple[str, Sequence[Figure]]]
) -> Chart:
    """One column per period, stacked by series (e.g. change types), each segment a link."""
    step = max(14.0, min(60.0, PLOT_WIDTH / max(1, len(columns))))
    left = 40
    chart = Chart(title, left + step * len(columns) + 10, COLUMN_PLOT_HEIGHT + 50)
    chart.legend = [(f"s{i % SERIES_CLASSES}", name) for i, (name, _figures) in enumerate(series)]
    heights = [
        sum(figures[column].drawn for _name, figures in series) for column in range(len(columns))
    ]
    maximum = max(heights, default=0)
    unit = _scale(maximum, COLUMN_PLOT_HEIGHT)
    chart.labels.append(Label(left - 6, 14, str(intcomma(maximum)), "end", "chart-small"))
    chart.labels.append(Label(left - 6, COLUMN_PLOT_HEIGHT + 10, "0", "end", "chart-small"))
    # Period labels are about 50 units wide: label every column, or every second, or …
    every = max(1, math.ceil(52 / step))
    for column, period in enumerate(columns):
        x = left + column * step
        top = float(COLUMN_PLOT_HEIGHT + 10)
        for index, (name, figures) in enumerate(series):
            figure = figures[column]
            height = figure.drawn * unit
            top -= height
            chart.shapes.append(
                Shape(
                    x + 1,
                    top,
                    step - 2,
                    height,
                    f"s{index % SERIES_CLASSES}",
                    f"{period} — {name}: {figure.display}",
                    figure.href,
                )
            )
        if column % every == 0:
            chart.labels.append(
                Label(x + step / 2, COLUMN_PLOT_HEIGHT + 28, period, "middle", "chart-small")
            )
    return chart


def shares(
    title: str, rows: Sequence[tuple[str, Sequence[Figure]]], segment_names: Sequence[str]
) -> Chart:
    """One bar per row split into the shares of its segments (a distribution, e.g. 1 to 5)."""
    chart = Chart(title, LABEL_WIDTH + PLOT_WIDTH + 20, max(1, len(rows)) * ROW_HEIGHT + 4)
    chart.legend = [(f"q{i}", name) for i, name in enumerate(segment_names)]
    for index, (label, figures) in enumerate(rows):
        y = index * ROW_HEIGHT + 4
        chart.labels.append(
            Label(LABEL_WIDTH - 8, y + BAR_HEIGHT - 4, _short(label), "end", title=label)
        )
        unit = _scale(sum(figure.drawn for figure in figures), PLOT_WIDTH)
        x = float(LABEL_WIDTH)
        for segment, (name, figure) in enumerate(zip(segment_names, figures, strict=True)):
            width = figure.drawn * unit
            chart.shapes.append(
                Shape(
                    x,
                    y,
                    width,
                    BAR_HEIGHT,
                    f"q{segment}",
                    f"{label} — {name}: {figure.display}",
                    figure.href,
                )
            )
            x += width
    return chart
