"""An indicator's targets and actuals per period as columns, drawn with ``portal.charts``'
shapes (and shown beside a table of the same figures, which is the way in for screen readers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.charts import Chart, Label, Shape

PLOT_HEIGHT = 150
LEFT = 64
COLUMN = 60
BAR = 22


@dataclass(frozen=True)
class Column:
    period: str
    target: Decimal | None
    actual: Decimal | None
    target_display: str
    actual_display: str


def targets_and_actuals(
    title: str, columns: Sequence[Column], *, baseline: Decimal | None, baseline_display: str
) -> Chart:
    """Two columns per period, the target and the actual, and the baseline as a line."""
    chart = Chart(title, LEFT + COLUMN * max(1, len(columns)) + 10, PLOT_HEIGHT + 40)
    chart.legend = [("s1", _("target")), ("s0", _("actual"))]
    heights = [
        value
        for column in columns
        for value in (column.target, column.actual)
        if value is not None and value > 0
    ]
    if baseline is not None and baseline > 0:
        heights.append(baseline)
    maximum = max(heights, default=Decimal(0))
    unit = float(PLOT_HEIGHT) / float(maximum) if maximum > 0 else 0.0
    bottom = float(PLOT_HEIGHT + 10)
    chart.labels.append(Label(LEFT - 6, 14, _short_number(maximum), "end", "chart-small"))
    chart.labels.append(Label(LEFT - 6, bottom, "0", "end", "chart-small"))
    for index, column in enumerate(columns):
        x = LEFT + index * COLUMN
        for offset, css, name, value, display in (
            (2.0, "s1", _("target"), column.target, column.target_display),
            (2.0 + BAR + 2, "s0", _("actual"), column.actual, column.actual_display),
        ):
            height = float(max(value or Decimal(0), Decimal(0))) * unit
            chart.shapes.append(
                Shape(
                    x + offset,
                    bottom - height,
                    BAR,
                    height,
                    css,
                    f"{column.period} — {name}: {display}",
                )
            )
        chart.labels.append(
            Label(x + COLUMN / 2, bottom + 18, column.period, "middle", "chart-small")
        )
    if baseline is not None and baseline > 0 and columns:
        y = bottom - float(baseline) * unit
        chart.shapes.append(
            Shape(
                LEFT,
                y - 1,
                COLUMN * len(columns),
                2,
                "s2",
                _("baseline: %(value)s") % {"value": baseline_display},
            )
        )
        chart.legend.append(("s2", _("baseline")))
    return chart


def _short_number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.1f}"
