"""A partner's dimension scores over its rounds as a dot chart, drawn with ``portal.charts``'
shapes (a small square per round on a 1 to 5 scale), shown beside a table of the same scores."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format

from portal.charts import LABEL_WIDTH, PLOT_WIDTH, ROW_HEIGHT, SERIES_CLASSES, Chart, Label, Shape

DOT = 9.0
SCALE_TOP = 16.0


def _x(score: float) -> float:
    return LABEL_WIDTH + (score - 1) / 4 * PLOT_WIDTH


def score_dots(
    title: str, rounds: Sequence[str], rows: Sequence[tuple[str, Sequence[float | None]]]
) -> Chart:
    """One row per dimension, one dot per round at its score (1 at the left, 5 at the right)."""
    chart = Chart(title, LABEL_WIDTH + PLOT_WIDTH + 20, SCALE_TOP + max(1, len(rows)) * ROW_HEIGHT)
    chart.legend = [(f"s{i % SERIES_CLASSES}", name) for i, name in enumerate(rounds)]
    for tick in range(1, 6):
        chart.labels.append(Label(_x(tick), 11, str(tick), "middle", "chart-small"))
    for index, (name, scores) in enumerate(rows):
        y = SCALE_TOP + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        chart.labels.append(Label(LABEL_WIDTH - 8, middle + 4, _short(name), "end", title=name))
        # The scale's line, one unit high: drawn as a shape so that it takes the page's colours.
        chart.shapes.append(Shape(LABEL_WIDTH, middle, PLOT_WIDTH, 1, "q0", name))
        for position, (round_name, score) in enumerate(zip(rounds, scores, strict=True)):
            if score is None:
                continue
            chart.shapes.append(
                Shape(
                    _x(score) - DOT / 2,
                    middle - DOT / 2,
                    DOT,
                    DOT,
                    f"s{position % SERIES_CLASSES}",
                    f"{name} — {round_name}: {number_format(score, 1)}",
                )
            )
    return chart


def _short(text: str, length: int = 24) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
