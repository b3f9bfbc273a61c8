"""The heat map: open risks counted by likelihood and impact, and by region and category.

It reads ``countable_risks`` through grouped counts only. For officers those counts include the
confidential partners' risks — that the organisation carries them is what the map is for — but
no row, title or name is ever read, and every link leads to the register, which lists only what
the viewer may read (``visible_risks``): a cell cannot be followed to a confidential risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.regions import Region
from portal.charts import Chart, Label, Shape
from risks.models import SCALE, SCORE, Category, Risk
from risks.selectors import countable_risks

CELL = 52
LEFT = 64
TOP = 8
BOTTOM = 48


@dataclass(frozen=True)
class TableRow:
    region: str
    region_label: str
    category: str
    category_label: str
    count: int
    # Over the risks the viewer may read: an officer learns no confidential partner's score,
    # only that its risks are counted (None where the cell holds only such risks).
    highest_score: int | None
    href: str


@dataclass
class HeatMap:
    # (likelihood, impact) → the number of open risks
    matrix: dict[tuple[int, int], int]
    rows: list[TableRow]
    total: int
    # Counted but not listed for this viewer (officers: the confidential partners' risks).
    not_listed: int
    filters: dict[str, Any] = field(default_factory=dict)

    def cell_href(self, likelihood: int, impact: int) -> str:
        return _register_href(self.filters, likelihood=likelihood, impact=impact)

    @property
    def grid(self) -> list[tuple[int, list[tuple[int, int, str]]]]:
        """Rows from likelihood 5 down to 1, each with (impact, count, link) per column."""
        return [
            (
                likelihood,
                [
                    (
                        impact,
                        self.matrix.get((likelihood, impact), 0),
                        self.cell_href(likelihood, impact),
                    )
                    for impact in SCALE
                ],
            )
            for likelihood in reversed(SCALE)
        ]


def _register_href(filters: dict[str, Any], **more: Any) -> str:
    query: dict[str, Any] = {"status": Risk.Status.OPEN}
    for key in ("region", "category"):
        if filters.get(key):
            query[key] = filters[key]
    if filters.get("program") is not None:
        query["program"] = filters["program"].pk
    query.update(more)
    return f"{reverse('risk-list')}?{urlencode(query)}"


def filtered_open_risks(user: Any, filters: dict[str, Any]) -> QuerySet[Risk]:
    risks = countable_risks(user).filter(status=Risk.Status.OPEN)
    if filters.get("region"):
        risks = risks.filter(partner__region=filters["region"])
    if filters.get("category"):
        risks = risks.filter(category=filters["category"])
    if filters.get("program") is not None:
        risks = risks.filter(project__program=filters["program"])
    return risks


def heat_map(user: Any, filters: dict[str, Any]) -> HeatMap:
    risks = filtered_open_risks(user, filters)
    # What the viewer may read: a cell of the likelihood-by-impact grid is a score, and with the
    # filters narrowed to one region and category a single confidential risk's score would show
    # (DESIGN §4). An officer meets those risks only in the counts by region and category.
    readable = (
        Q() if getattr(user, "sees_confidential", False) else Q(partner__is_confidential=False)
    )
    matrix = {
        (row["likelihood"], row["impact"]): row["count"]
        for row in risks.filter(readable)
        .values("likelihood", "impact")
        .annotate(count=Count("pk"))
        .order_by()
    }
    regions = dict(Region.choices)
    categories = dict(Category.choices)
    grouped = (
        risks.values("partner__region", "category")
        .annotate(count=Count("pk"), highest=Max(SCORE, filter=readable))
        .order_by()
    )
    rows = sorted(
        (
            TableRow(
                region=row["partner__region"],
                region_label=str(regions.get(row["partner__region"], row["partner__region"])),
                category=row["category"],
                category_label=str(categories.get(row["category"], row["category"])),
                count=row["count"],
                highest_score=row["highest"],
                href=_register_href(
                    {**filters, "region": row["partner__region"], "category": row["category"]}
                ),
            )
            for row in grouped
        ),
        key=lambda row: (-(row.highest_score or 0), row.region_label, row.category_label),
    )
    not_listed = 0
    if not getattr(user, "sees_confidential", False):
        not_listed = risks.filter(partner__is_confidential=True).count()
    total = sum(matrix.values()) + not_listed
    return HeatMap(matrix=matrix, rows=rows, total=total, not_listed=not_listed, filters=filters)


def band(score: int) -> str:
    """The colour class of a score: low, moderate, high, very high, extreme."""
    if score >= 20:
        return "h4"
    if score >= 15:
        return "h3"
    if score >= 10:
        return "h2"
    if score >= 5:
        return "h1"
    return "h0"


def draw(heat: HeatMap) -> Chart:
    """The five-by-five matrix as SVG: impact across, likelihood up, each cell links its risks."""
    size = len(SCALE)
    chart = Chart(
        _("Open risks by likelihood and impact"),
        LEFT + CELL * size + 8,
        TOP + CELL * size + BOTTOM,
    )
    for row, (likelihood, cells) in enumerate(heat.grid):
        y = TOP + row * CELL
        chart.labels.append(
            Label(LEFT - 8, y + CELL / 2 + 4, str(likelihood), "end", "chart-small")
        )
        for column, (impact, count, href) in enumerate(cells):
            x = LEFT + column * CELL
            score = likelihood * impact
            title = ngettext(
                "Likelihood %(likelihood)d, impact %(impact)d: %(count)d open risk",
                "Likelihood %(likelihood)d, impact %(impact)d: %(count)d open risks",
                count,
            ) % {"likelihood": likelihood, "impact": impact, "count": count}
            chart.shapes.append(
                Shape(x + 1, y + 1, CELL - 2, CELL - 2, band(score), title, href if count else "")
            )
            if count:
                css = "chart-label heat-dark" if score >= 15 else "chart-label"
                chart.labels.append(
                    Label(x + CELL / 2, y + CELL / 2 + 5, str(count), "middle", css)
                )
    bottom = TOP + CELL * size
    for column, impact in enumerate(SCALE):
        chart.labels.append(
            Label(
                LEFT + column * CELL + CELL / 2, bottom + 16, str(impact), "middle", "chart-small"
            )
        )
    chart.labels.append(Label(LEFT + CELL * size / 2, bottom + 38, _("Impact"), "middle"))
    chart.labels.append(Label(4, TOP + 12, _("Likelihood"), "start", "chart-small"))
    return chart
