"""The report: figures read from the aggregates through the viewer's scope (DESIGN §4).

Every section is one grouped query over the aggregate tables (or, for planned activities, over
the plans, which do not grow with the stories), so the page's cost does not depend on how many
stories there are. Who reads which cells, whether a row may name its partner and whether a
network member's figures are rounded come from the selectors (``reporting.selectors``,
``partners.selectors``) and the disclosure rule (``reporting.disclosure``).

- ``forms``: the filters; ``scope``: the cells a report reads and the links behind its figures;
- ``story_sections`` and ``activity_sections``: one section each, a table and a chart;
- ``build``: the report of staff and partners; ``member``: a network member's fixed tables.
"""

from reporting.reports.build import build_report
from reporting.reports.forms import (
    MemberReportForm,
    ReportFilterForm,
    member_publication,
    report_form,
)
from reporting.reports.member import build_member_report
from reporting.reports.scope import (
    Figures,
    Links,
    activity_cells,
    quarter_end,
    quarter_start,
    story_cells,
)
from reporting.reports.shapes import Report, Row, Section

__all__ = [
    "Figures",
    "Links",
    "MemberReportForm",
    "Report",
    "ReportFilterForm",
    "Row",
    "Section",
    "activity_cells",
    "build_member_report",
    "build_report",
    "member_publication",
    "quarter_end",
    "quarter_start",
    "report_form",
    "story_cells",
]
