"""Who may see, enter and review a project's results reports (docs/results.md, "Reporting
actuals").

- Rows: administrators and cleared staff see every report; officers those of the projects they
  see (never a confidential partner's); a partner's users their own organisation's; nobody else
  any.
- Entering figures (save, submit): the partner's own users and the staff who see the project,
  while the report is a draft or returned. Reviewing (return, approve): the staff who see it,
  once submitted. Unlocking an approved report: administrators and cleared staff only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal.access import as_user, own_partner_id
from programs.models import Project
from programs.selectors import visible_projects
from progress.models import ChangeStory
from progress.selectors import visible_stories
from results.models import (
    Period,
    Report,
    ReportEntry,
    calendar_span,
    span_label,
    span_slug,
)
from results.selectors import project_indicators

if TYPE_CHECKING:
    from portal.access import AnyUser

EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)
SPAN = re.compile(r"^(\d{4})(?:-h([12]))?$")


def parse_span(slug: str) -> tuple[dt.date, dt.date]:
    """The span a slug names; 404 for anything else (an address that names nothing)."""
    match = SPAN.match(slug)
    if match is None or not 1900 <= int(match[1]) <= 2999:
        raise Http404
    year, half = int(match[1]), match[2]
    if half is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if half == "1":
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def visible_reports(user: AnyUser) -> QuerySet[Report]:
    reports = Report.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return reports.none()
    if viewer.sees_confidential:
        return reports
    if viewer.is_portal_staff:
        return reports.filter(project__in=visible_projects(viewer).values("pk"))
    if viewer.is_partner_user:
        return reports.filter(project__partner_id=own_partner_id(viewer))
    return reports.none()


def reads_reports(user: AnyUser) -> bool:
    """Staff and partners' users; network members read programme totals only."""
    viewer = as_user(user)
    return viewer is not None and (viewer.is_portal_staff or viewer.is_partner_user)


def may_enter(user: AnyUser, project: Project, report: Report | None) -> bool:
    """Whether the viewer may write the figures of this project's report now."""
    viewer = as_user(user)
    if viewer is None or (report is not None and report.status not in EDITABLE):
        return False
    if viewer.is_partner_user:
        return project.partner_id == own_partner_id(viewer)
    return viewer.is_portal_staff and visible_projects(viewer).filter(pk=project.pk).exists()


def may_review(user: AnyUser, report: Report | None) -> bool:
    viewer = as_user(user)
    return (
        viewer is not None
        and viewer.is_portal_staff
        and report is not None
        and report.status == Report.Status.SUBMITTED
        and visible_projects(viewer).filter(pk=report.project_id).exists()
    )


def may_unlock(user: AnyUser, report: Report) -> bool:
    viewer = as_user(user)
    return viewer is not None and viewer.sees_confidential and report.is_locked


def span_periods(user: AnyUser, project: Project, start: dt.date, end: dt.date) -> QuerySet[Period]:
    """The periods of this span of the indicators the project reports on (that the viewer sees),
    each with its indicator."""
    indicators = project_indicators(user, project)
    return (
        Period.objects.filter(indicator__in=indicators.values("pk"), start=start, end=end)
        .select_related("indicator")
        .order_by("indicator__outcome__ordering", "indicator__outcome_id", "indicator__ordering")
    )


@dataclass(frozen=True)
class Due:
    """A span a project reports on: its report (None before the first save) and whether it is
    still owed."""

    project: Project
    start: dt.date
    end: dt.date
    report: Report | None

    @property
    def label(self) -> str:
        return span_label(self.start, self.end)

    @property
    def slug(self) -> str:
        return span_slug(self.start, self.end)

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else Report.Status.DRAFT

    @property
    def returned(self) -> bool:
        return self.status == Report.Status.RETURNED


def _project_spans(
    projects: QuerySet[Project], until: dt.date
) -> set[tuple[int, dt.date, dt.date]]:
    """(project, start, end) of every period, ended by ``until``, of the indicators these
    projects report on: one query (their own indicators' and the programme's, united)."""
    own = (
        Period.objects.filter(indicator__project__in=projects.values("pk"), end__lt=until)
        .order_by()
        .values_list("indicator__project_id", "start", "end")
    )
    contributed = (
        Period.objects.filter(
            indicator__project__isnull=True,
            indicator__projects__in=projects.values("pk"),
            end__lt=until,
        )
        .order_by()
        .values_list("indicator__projects", "start", "end")
    )
    return {
        (project_id, start, end)
        for project_id, start, end in own.union(contributed)
        if calendar_span(start, end)
    }


def reports_due(user: AnyUser, projects: QuerySet[Project], *, limit: int) -> list[Due]:
    """The ended spans of these projects whose report is not yet submitted or approved, the
    returned ones first, then the oldest: three queries, whatever the number of indicators."""
    today = timezone.localdate()
    spans = _project_spans(projects, today)
    if not spans:
        return []
    reports = {
        (report.project_id, report.start, report.end): report
        for report in visible_reports(user).filter(project__in=projects.values("pk"))
    }
    owed = [span for span in spans if span not in reports or reports[span].status in EDITABLE]
    by_id = {
        project.pk: project for project in Project.objects.filter(pk__in={span[0] for span in owed})
    }
    due = [Due(by_id[p], start, end, reports.get((p, start, end))) for p, start, end in owed]
    due.sort(key=lambda d: (not d.returned, d.end, d.project.title, d.project.pk))
    return due[:limit]


def project_reports(user: AnyUser, project: Project, periods: list[Period]) -> list[Due]:
    """Every span of these periods that has started, newest first, with its report (one
    query): the reporting table of the project's results page."""
    today = timezone.localdate()
    spans = sorted(
        {(p.start, p.end) for p in periods if p.start <= today and calendar_span(p.start, p.end)},
        key=lambda span: (span[1], span[0]),
        reverse=True,
    )
    if not spans:
        return []
    reports = {
        (report.start, report.end): report
        for report in visible_reports(user).filter(project=project)
    }
    return [Due(project, start, end, reports.get((start, end))) for start, end in spans]


def waiting_for_review(user: AnyUser, *, limit: int) -> list[Report]:
    """Submitted reports the member of staff may review, the oldest first (one query)."""
    viewer = as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return []
    return list(
        visible_reports(viewer)
        .filter(status=Report.Status.SUBMITTED)
        .select_related("project__partner")
        .order_by("updated_at", "pk")[:limit]
    )


def report_entries_of(
    project: Project, start: dt.date, end: dt.date
) -> dict[int, tuple[str, list[ChangeStory]]]:
    """Per period of the project's report of this span, its comment and cited stories (for a
    write that replaces the figures only, such as an import): two queries."""
    entries = ReportEntry.objects.filter(
        report__project=project, report__start=start, report__end=end
    ).prefetch_related("stories")
    return {entry.period_id: (entry.comment, list(entry.stories.all())) for entry in entries}


@dataclass(frozen=True)
class Citation:
    """A story an approved report cites as evidence for one of an indicator's periods."""

    period: Period
    story: ChangeStory


def cited_stories(
    user: AnyUser, periods: list[Period], *, project: Project | None = None
) -> list[Citation]:
    """The stories the approved reports cite for these periods (of one project, or every one),
    those the viewer may read only: one query. Citations of reports still under review are
    the report page's, not the results pages'."""
    if not periods:
        return []
    by_pk = {period.pk: period for period in periods}
    links = ReportEntry.stories.through.objects.filter(
        reportentry__period__in=list(by_pk),
        reportentry__report__status=Report.Status.APPROVED,
        changestory__in=visible_stories(user).values("pk"),
    )
    if project is not None:
        links = links.filter(reportentry__report__project=project)
    rows = links.select_related("changestory", "reportentry").order_by(
        "reportentry__period__start", "changestory__reference"
    )
    seen: set[tuple[int, int]] = set()
    citations = []
    for row in rows:
        key = (row.reportentry.period_id, row.changestory_id)
        if key not in seen:  # two projects' reports may cite the same story for a period
            seen.add(key)
            citations.append(Citation(by_pk[row.reportentry.period_id], row.changestory))
    return citations
