"""What results adds to the pages of lower apps (``portal.sections``): a link to the results
page from a programme's page and from a project's, where the viewer has figures to read there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portal.sections import Section, register_section
from programs.models import Program, Project
from results import selectors


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


def register() -> None:
    register_section(
        "program-detail",
        Section(program_results_link, {"facts": "results/_program_link.html"}, order=30),
    )
    register_section(
        "project-detail",
        Section(project_results_link, {"facts": "results/_project_link.html"}, order=30),
    )
