"""What results adds to the pages of lower apps (``portal.sections``): a link to the results
page from a programme's page and from a project's, where the viewer has figures to read there;
on the partner's own page (a partner user's start page) the results reports it owes, returned
ones first; on the staff dashboard the reports waiting for review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from partners.models import Partner
from portal.sections import Section, register_section
from programs.models import Program, Project
from programs.selectors import visible_projects
from results import selectors
from results.reports import selectors as reports

MAX_LISTED_REPORTS = 10


def program_results_link(request: HttpRequest, program: Program) -> dict[str, Any] | None:
    if not selectors.program_has_framework(request.user, program):
        return None
    return {"program": program}


def project_results_link(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    if not selectors.sees_project_rows(request.user):
        return None
    if not selectors.project_has_framework(request.user, project):
        return None
    return {"project": project}


def partner_reports_due(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    """To the partner's own users: the periods whose results report is owed."""
    user = request.user
    if not (getattr(user, "is_partner_user", False) and user.partner_id == partner.pk):  # type: ignore[union-attr]
        return None
    due = reports.reports_due(user, visible_projects(user), limit=MAX_LISTED_REPORTS)
    if not due:
        return None
    return {"due": due}


def staff_reports_waiting(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """On the staff dashboard: the submitted reports the person may review, oldest first."""
    waiting = reports.waiting_for_review(user, limit=MAX_LISTED_REPORTS)
    if not waiting:
        return None
    return {"reports": waiting, "max_reports": MAX_LISTED_REPORTS}


def register() -> None:
    register_section(
        "program-detail",
        Section(program_results_link, {"facts": "results/_program_link.html"}, order=30),
    )
    register_section(
        "project-detail",
        Section(project_results_link, {"facts": "results/_project_link.html"}, order=30),
    )
    register_section(
        "partner-detail",
        Section(partner_reports_due, {"lead": "results/_partner_reports_due.html"}, order=35),
    )
    register_section(
        "staff-dashboard",
        Section(staff_reports_waiting, {"work": "results/_staff_reports_waiting.html"}, order=25),
    )
