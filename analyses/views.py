from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from analyses import services
from analyses.forms import AnalysisForm
from analyses.models import RegionalAnalysis
from analyses.selectors import (
    get_analysis_for_user,
    linked_risks,
    linked_stories,
    visible_analyses,
)
from partners.regions import Region
from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from portal.pagination import paginate
from progress.selectors import stories_by_reference


def _reader(request: HttpRequest) -> None:
    user = request.user
    if not (getattr(user, "is_portal_staff", False) or getattr(user, "is_partner_user", False)):
        raise Http404


def _writer(request: HttpRequest) -> None:
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404


@require_GET
def analysis_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    analyses = visible_analyses(request.user)
    region = request.GET.get("region", "")
    if region in Region.values:
        analyses = analyses.filter(region=region)
    else:
        region = ""
    return render(
        request,
        "analyses/analysis_list.html",
        {"page": paginate(request, analyses), "regions": Region.choices, "region": region},
    )


@require_GET
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    analysis = get_analysis_for_user(request.user, pk)
    return render(
        request,
        "analyses/analysis_detail.html",
        {
            "analysis": analysis,
            "stories": linked_stories(request.user, analysis),
            "risks": linked_risks(request.user, analysis),
            "figures": analysis.figures.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def analysis_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _writer(request)
    analysis = get_analysis_for_user(request.user, pk) if pk is not None else RegionalAnalysis()
    form = AnalysisForm(request.POST or None, instance=analysis, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            stories = stories_by_reference(request.user, form.cleaned_data["story_references"])
            services.analysis_save(
                actor=request.user,
                analysis=form.instance,
                stories=stories,
                figures=form.cleaned_data["figures"],
                risks=list(form.cleaned_data["risks"]),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The analysis is saved."))
            return redirect("analysis-detail", pk=form.instance.pk)
    return render(request, "analyses/analysis_form.html", {"form": form, "analysis": analysis})
