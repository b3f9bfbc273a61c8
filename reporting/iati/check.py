"""The check before publishing: the viewer's activity file, validated, every problem listed with
the activity, indicator and period it concerns and links to the records to fix in the admin.

The file is built as the download builds it, serialised and parsed again (so that the XSD's
line numbers point into it), and checked by ``validate.problems``: the XSD and the codelists
where ``settings.IATI_SCHEMA_DIR`` holds them, IATI's rules always. What an element was written
from (``results.Source``, kept by the builder by its path in the tree) gives the links.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from reporting.iati.build import to_bytes
from reporting.iati.files import activity_file
from reporting.iati.results import Source
from reporting.iati.validate import Problem, problems, schema_files_present

if TYPE_CHECKING:
    from portal.access import AnyUser

# The admin page each kind of source is fixed on, in the order a problem's links are listed
# (a target is edited on its period's page).
ADMIN_PAGES: tuple[tuple[str, str], ...] = (
    ("actual", "admin:results_actual_change"),
    ("period", "admin:results_period_change"),
    ("indicator", "admin:results_indicator_change"),
    ("project", "admin:programs_project_change"),
    ("program", "admin:programs_program_change"),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    line: int | None
    activity: str
    activity_title: str
    indicator: str
    period: str
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    findings: list[Finding]
    activities: int
    schema_checked: bool
    content: bytes

    @property
    def ok(self) -> bool:
        return not self.findings


def _labels() -> dict[str, str]:
    return {
        "actual": _("the actual"),
        "period": _("the period"),
        "indicator": _("the indicator"),
        "project": _("the project"),
        "program": _("the programme"),
    }


def _narrative(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return (element.findtext("title/narrative") or "").strip()


def _finding(problem: Problem, parsed: etree._ElementTree, sources: dict[str, Source]) -> Finding:
    found: dict[str, int] = {}
    activity = indicator = period = None
    element = problem.element
    while element is not None:
        source = sources.get(parsed.getpath(element))
        if source is not None:
            found.setdefault(source[0], source[1])
        if element.tag == "iati-activity":
            activity = element
        elif element.tag == "indicator":
            indicator = element
        elif element.tag == "period":
            period = element
        element = element.getparent()
    labels = _labels()
    links = [
        Link(labels[kind], reverse(name, args=[found[kind]]))
        for kind, name in ADMIN_PAGES
        if kind in found
    ]
    span = ""
    if period is not None:
        start = period.find("period-start")
        end = period.find("period-end")
        span = "–".join(part.get("iso-date", "") for part in (start, end) if part is not None)
    return Finding(
        kind=problem.kind,
        message=problem.message,
        line=problem.line,
        activity=(activity.findtext("iati-identifier") or "").strip()
        if activity is not None
        else "",
        activity_title=_narrative(activity),
        indicator=_narrative(indicator),
        period=span,
        links=links,
    )


def check_file(user: AnyUser, *, today: datetime.date | None = None) -> Check:
    sources: dict[etree._Element, Source] = {}
    tree = activity_file(user, sources=sources)
    by_path = {tree.getpath(element): source for element, source in sources.items()}
    content = to_bytes(tree)
    parsed = etree.ElementTree(etree.fromstring(content))
    schema_dir = settings.IATI_SCHEMA_DIR
    found = problems(parsed, schema_dir, today=today or timezone.localdate())
    return Check(
        findings=[_finding(problem, parsed, by_path) for problem in found],
        activities=len(parsed.getroot().findall("iati-activity")),
        schema_checked=schema_files_present(schema_dir),
        content=content,
    )
