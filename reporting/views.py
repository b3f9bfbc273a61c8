"""The pages and files of figures: the dashboards, the report with its downloads and rebuild,
and the IATI file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.selectors import BAND_LABELS, BANDS
from portal import exports
from portal.access import may_download
from portal.charts import shares
from portal.sections import sections_for
from reporting import assessment_figures, dashboards, rebuilds, reports, support
from reporting import exports as report_exports
from reporting.iati.check import check_file


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_partner_user:  # type: ignore[union-attr]
        # Partner users land on their own organisation.
        return redirect("partner-detail", pk=user.partner_id)  # type: ignore[union-attr]
    if user.is_network_member:  # type: ignore[union-attr]
        return render(
            request,
            "reporting/dashboard_member.html",
            {"figures": dashboards.member_dashboard(user)},
        )
    if user.is_portal_staff:  # type: ignore[union-attr]
        return render(
            request,
            "reporting/dashboard_staff.html",
            {
                "figures": dashboards.staff_dashboard(user),
                # What other apps add: the work waiting for this person (portal.sections).
                "sections": sections_for("staff-dashboard", request, user),
            },
        )
    return render(request, "reporting/dashboard_none.html")


def _may_read_reports(user: object) -> bool:
    return any(
        getattr(user, role, False)
        for role in ("is_portal_staff", "is_partner_user", "is_network_member")
    )


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_read_reports(user):
        raise Http404
    form = reports.report_form(user, request.GET or None)
    filters = form.filters()  # type: ignore[attr-defined]
    return render(
        request,
        "reporting/report.html",
        {
            "form": form,
            "report": reports.build_report(
                user,
                filters,
                {key: request.GET.get(key, "") for key in form.fields},
                getattr(form, "publication", None),
            ),
            "rebuild": rebuilds.rebuild_status() if user.is_portal_staff else None,  # type: ignore[union-attr]
            "print_view": request.GET.get("print") == "1",
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def member_support(request: HttpRequest) -> HttpResponse:
    """What a member organisation's support made possible: printable for its meetings."""
    page = support.support_page(request.user)
    if page is None:
        raise Http404
    return render(request, "reporting/support.html", {"page": page})


@require_GET
def member_assessments(request: HttpRequest) -> HttpResponse:
    """A network member's view of how its networks' partners assess themselves: one period's
    fixed table under the disclosure rule (``reporting.assessment_figures``). Staff have the
    distribution with its filters; nobody else reads either."""
    user = request.user
    if getattr(user, "is_portal_staff", False):
        return redirect("assessment-distribution")
    if not getattr(user, "is_network_member", False):
        raise Http404
    publication, dimensions = assessment_figures.member_assessment_publication(user)
    form = reports.MemberReportForm(request.GET or None, publication=publication)
    status = 200
    period = publication.periods[0].code if publication.periods else ""
    if form.is_bound:
        if form.is_valid():
            period = form.cleaned_data["period"] or period
        else:
            status, period = 400, ""
    shown = {key for at, key in publication.rows["dimensions"] if at == period}
    rows = [
        (
            name,
            [publication.figure(assessment_figures.band_key(period, key, band)) for band in BANDS],
        )
        for key, name in dimensions
        if key in shown
    ]
    return render(
        request,
        "reporting/assessments_member.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "bands": BAND_LABELS,
            "assessed": publication.figure(assessment_figures.assessed_key(period)),
            "network_partners": publication.values[assessment_figures.NETWORK_PARTNERS],
            # Bars of "<5" and hidden figures are drawn as nothing: no chart of nothing.
            "chart": shares(_("Partners per score band"), rows, BAND_LABELS)
            if any(figure.drawn for _name, figures in rows for figure in figures)
            else None,
        },
        status=status,
    )


def _require_staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404


@require_http_methods(["GET", "POST"])
def report_rebuild(request: HttpRequest) -> HttpResponse:
    """GET: how the last rebuild went or how far this one has come. POST: start one."""
    _require_staff(request)
    if request.method == "POST":
        try:
            rebuilds.rebuild_request(actor=request.user)
        except rebuilds.RebuildUnavailable:
            messages.error(
                request,
                _(
                    "The rebuild could not be started: the task queue is not answering. "
                    "Try again later."
                ),
            )
        return redirect("report-rebuild")
    return render(request, "reporting/report_rebuild.html", {"status": rebuilds.rebuild_status()})


@require_GET
def report_rebuild_status(request: HttpRequest) -> JsonResponse:
    _require_staff(request)
    return JsonResponse(rebuilds.rebuild_status().as_json())


@require_GET
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report's story cells under its filters, labelled as the report labels them.

    Network members read their networks' report on the page only: a file of cells would let
    small counts be recombined outside the suppression the page applies (DESIGN §4).
    """
    user = request.user
    if not may_download(user):
        raise Http404
    form = reports.ReportFilterForm(request.GET or None, user=user)
    filters = form.filters()
    return exports.download(
        request,
        fmt,
        form=form,
        filename="story-figures",
        title=_("Story figures"),
        header=report_exports.figure_header(),
        rows=report_exports.figure_rows(user, filters),
        count=reports.story_cells(user, filters).count,
    )


@require_GET
def iati_export(request: HttpRequest) -> HttpResponse:
    """The IATI 2.03 activity file, for the organisation's own staff only.

    Whatever the viewer may see, the file leaves out confidential partners, their projects and
    their stories (``reporting.iati.files``). A file with problems is refused with a page that
    points to the check, which lists them: a file IATI's validator would reject, or that says
    something the data does not support, is not to be published by accident.
    """
    _require_staff(request)
    check = check_file(request.user)
    if not check.ok:
        return render(
            request,
            "reporting/iati_refused.html",
            {"problems": len(check.findings)},
            status=409,
        )
    response = HttpResponse(check.content, content_type="application/xml")
    response["Content-Disposition"] = 'attachment; filename="iati-activities.xml"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def iati_check(request: HttpRequest) -> HttpResponse:
    """Every schema, codelist and rule problem of the staff member's activity file."""
    _require_staff(request)
    return render(request, "reporting/iati_check.html", {"check": check_file(request.user)})
