from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import exports
from portal.access import get_or_404, may_download
from programs.selectors import get_program_for_user, get_project_for_user
from results import pages, selectors
from results.exports import ResultsTable, labels_sheet


@require_GET
def program_results(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for_user(request.user, pk)
    return render(
        request,
        "results/program_results.html",
        {
            "program": program,
            "page": pages.program_results(request.user, program),
            "downloads": may_download(request.user),
        },
    )


@require_GET
def indicator_results(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    program = get_program_for_user(request.user, pk)
    found = selectors.get_indicator_for_user(request.user, indicator)
    if found.outcome.program_id != program.pk:
        raise Http404
    return render(
        request,
        "results/indicator_results.html",
        {
            "program": program,
            "view": pages.indicator_results(request.user, found),
        },
    )


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every programme's indicators at a glance: where each stands in its latest period."""
    return render(request, "results/portfolio.html", {"programmes": pages.portfolio(request.user)})


@require_GET
def project_results(request: HttpRequest, pk: int) -> HttpResponse:
    # Network members read programme totals only (results.selectors).
    if not selectors.sees_project_rows(request.user):
        raise Http404
    project = get_project_for_user(request.user, pk, request=request)
    return render(
        request,
        "results/project_results.html",
        {
            "project": project,
            "page": pages.project_results(request.user, project),
            "downloads": may_download(request.user),
        },
    )


@require_GET
def project_indicator_results(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    if not selectors.sees_project_rows(request.user):
        raise Http404
    project = get_project_for_user(request.user, pk, request=request)
    found = get_or_404(
        selectors.project_indicators(request.user, project).select_related("outcome"), indicator
    )
    return render(
        request,
        "results/project_indicator_results.html",
        {"project": project, "view": pages.project_indicator_results(request.user, project, found)},
    )


def _download(request: HttpRequest, fmt: str, table: ResultsTable, filename: str) -> HttpResponse:
    return exports.download(  # type: ignore[no-any-return]
        request,
        fmt,
        # No filters: the whole framework the viewer may read, always.
        form=forms.Form(),
        filename=filename,
        title=_("Results"),
        header=table.header(),
        rows=table.rows(),
        count=table.count,
        more_sheets=[labels_sheet(table)],
    )


@require_GET
def program_results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The programme's framework as a table (``results.exports``), for those who may download
    (network members read the page only: DESIGN §4)."""
    if not may_download(request.user):
        raise Http404
    program = get_program_for_user(request.user, pk)
    table = ResultsTable(request.user, program=program)
    return _download(request, fmt, table, f"results_programme-{program.pk}")


@require_GET
def project_results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if not may_download(request.user):
        raise Http404
    project = get_project_for_user(request.user, pk, request=request)
    table = ResultsTable(request.user, project=project)
    return _download(request, fmt, table, f"results_project-{project.pk}")
