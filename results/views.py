from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programs.selectors import get_program_for_user, get_project_for_user
from results import pages, selectors


@require_GET
def program_results(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for_user(request.user, pk)
    return render(
        request,
        "results/program_results.html",
        {"program": program, "page": pages.program_results(request.user, program)},
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
        {"project": project, "page": pages.project_results(request.user, project)},
    )
