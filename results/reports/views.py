"""The report page (enter, submit, read, review) and the evidence download. Thin: access,
one selector or service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from programs.models import Project
from programs.selectors import get_program_for_user, get_project_for_user
from progress.attachment_views import private_file_response
from progress.selectors import visible_stories
from results.models import Actual, Dimension, DimensionValue, Report, ReportAttachment, ReportEntry
from results.reports import imports, selectors, services
from results.reports.forms import ImportForm, ReportForm, ReviewForm


def _project(request: HttpRequest, pk: int) -> Project:
    # Network members read programme totals only; officers meet a confidential partner's
    # project as a 404 (``get_project_for_user``), its reports with it.
    if not selectors.reads_reports(request.user):
        raise Http404
    return get_project_for_user(request.user, pk, request=request)


def _read(request: HttpRequest, project: Project, start: dt.date, end: dt.date) -> dict[str, Any]:
    """What the page shows, in a fixed number of queries whatever the number of indicators."""
    user = request.user
    periods = list(
        selectors.span_periods(user, project, start, end).prefetch_related(
            Prefetch("indicator__dimensions", queryset=Dimension.objects.order_by("ordering"))
        )
    )
    if not periods:
        raise Http404
    report = Report.objects.filter(project=project, start=start, end=end).first()
    entries: dict[int, ReportEntry] = {}
    events: list[Any] = []
    if report is not None:
        entries = {
            entry.period_id: entry
            for entry in ReportEntry.objects.filter(report=report).prefetch_related(
                Prefetch("stories", queryset=visible_stories(user).order_by("reference")),
                "attachments",
            )
        }
        events = list(report.events.select_related("actor"))
    disaggregated = any(p.indicator.dimensions.all() for p in periods)
    return {
        "project": project,
        "start": start,
        "end": end,
        "periods": periods,
        "report": report,
        "entries": entries,
        "events": events,
        "actuals": list(Actual.objects.filter(project=project, period__in=periods)),
        "values": list(DimensionValue.objects.all()) if disaggregated else [],
    }


def _form(request: HttpRequest, read: dict[str, Any], data: Any = None) -> ReportForm:
    report = read["report"]
    return ReportForm(
        data,
        request.FILES if data is not None else None,
        user=request.user,  # type: ignore[arg-type]
        project=read["project"],
        periods=read["periods"],
        values=read["values"],
        actuals=read["actuals"],
        entries=read["entries"],
        returned=report is not None and report.status == Report.Status.RETURNED,
    )


def _render(
    request: HttpRequest,
    read: dict[str, Any],
    *,
    form: ReportForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    report = read["report"]
    project = read["project"]
    editable = selectors.may_enter(user, project, report)
    context = {
        **read,
        "label": selectors.span_label(read["start"], read["end"]),
        "slug": selectors.span_slug(read["start"], read["end"]),
        "status": report.status if report else Report.Status.DRAFT,
        "status_label": report.get_status_display() if report else _("not started"),
        "form": form if form is not None else (_form(request, read) if editable else None),
        "readout": [] if editable else _form(request, read).readout(),
        "may_review": selectors.may_review(user, report),
        "review_form": review_form or ReviewForm(),
        "question": next(
            (e.comment for e in reversed(read["events"]) if e.action in ("returned", "unlocked")),
            "",
        ),
    }
    return render(request, "results/report.html", context, status=status)


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def report_page(request: HttpRequest, pk: int, span: str) -> HttpResponse:
    start, end = selectors.parse_span(span)
    project = _project(request, pk)
    read = _read(request, project, start, end)
    if request.method == "GET":
        return _render(request, read)
    report = read["report"]
    if not selectors.may_enter(request.user, project, None):
        raise Http404
    if report is not None and report.status not in selectors.EDITABLE:
        # A page left open while the report was submitted or approved: nothing to bind to.
        messages.error(
            request,
            _("An approved report is locked.")
            if report.is_locked
            else _("The report waits for review: it cannot be changed now."),
        )
        return redirect("result-report", pk=project.pk, span=span)
    form = _form(request, read, request.POST)
    if form.is_valid():
        try:
            services.report_save(
                actor=request.user,
                project=project,
                start=start,
                end=end,
                entries=form.entries(),
                submit=form.submitting,
                message=form.cleaned_data.get("message", ""),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The report is submitted for review.")
                if form.submitting
                else _("The report is saved as a draft."),
            )
            return redirect("result-report", pk=project.pk, span=span)
    return _render(request, read, form=form)


@require_POST
@denied_as_not_found
def report_review(request: HttpRequest, pk: int, span: str) -> HttpResponse:
    start, end = selectors.parse_span(span)
    project = _project(request, pk)
    report = Report.objects.filter(project=project, start=start, end=end).first()
    if report is None or not request.user.is_portal_staff:  # type: ignore[union-attr]
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.report_review(
                actor=request.user,
                report=report,
                action=request.POST.get("action", ""),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("result-report", pk=project.pk, span=span)
    return _render(request, _read(request, project, start, end), review_form=form)


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = ReportAttachment.objects.filter(pk=pk).select_related("entry__report").first()
    if attachment is None or not selectors.reads_reports(request.user):
        raise Http404
    report = attachment.entry.report
    # 404 outside the viewer's scope; a cleared viewer's read of a confidential partner's
    # project is logged, as opening its page is.
    get_project_for_user(request.user, report.project_id, request=request)
    if not selectors.visible_reports(request.user).filter(pk=report.pk).exists():
        raise Http404
    return private_file_response(attachment)


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the programme's XLSX with actuals filled in: the good rows are saved as drafts of
    their reports, each bad one is named with its row and reason (``results.reports.imports``)."""
    user = request.user
    if not (getattr(user, "is_portal_staff", False) or getattr(user, "is_partner_user", False)):
        raise Http404
    program = get_program_for_user(user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = imports.import_actuals(
                    actor=user, program=program, upload=form.cleaned_data["workbook"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
        if not form.is_valid() or form.errors:
            status = 400
    return render(
        request,
        "results/import.html",
        {"program": program, "form": form, "result": result},
        status=status,
    )
