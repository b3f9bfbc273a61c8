from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogues.selectors import get_dialogue_for_user
from portal.access import denied_as_not_found
from portal.forms import add_validation_error
from portal.pagination import paginate
from risks import heatmap, services
from risks.filters import HeatMapFilterForm, RiskFilter
from risks.forms import (
    CommentForm,
    DialogueRiskForm,
    ReassessForm,
    RiskForm,
    ShareForm,
    StatusForm,
)
from risks.models import SCALE, Risk
from risks.selectors import (
    get_risk_for_user,
    may_comment,
    may_count_risks,
    may_read_risks,
    may_record_risks,
    risk_comments,
    risk_history,
    visible_risks,
)


def _reader(request: HttpRequest) -> None:
    if not may_read_risks(request.user):
        raise Http404


def _staff(request: HttpRequest) -> None:
    if not may_record_risks(request.user):
        raise Http404


@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    user = request.user
    risks = (
        visible_risks(user)
        .select_related("partner", "owner")
        # Open risks first ("open" sorts after "closed"), the next review first among them.
        .order_by("-status", "next_review", "pk")
    )
    filterset = RiskFilter(request.GET, queryset=risks, user=user)
    return render(
        request,
        "risks/risk_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "today": timezone.localdate(),
        },
    )


@require_GET
def risk_heat_map(request: HttpRequest) -> HttpResponse:
    if not may_count_risks(request.user):
        raise Http404
    form = HeatMapFilterForm(request.GET or None, user=request.user)
    heat = heatmap.heat_map(request.user, form.filters())
    return render(
        request,
        "risks/heat_map.html",
        {"form": form, "heat": heat, "chart": heatmap.draw(heat), "scale": SCALE},
    )


@require_GET
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    risk = get_risk_for_user(request.user, pk, request=request)
    return render(request, "risks/risk_detail.html", _detail_context(request, risk))


def _detail_context(request: HttpRequest, risk: Risk, **forms: object) -> dict[str, object]:
    user = request.user
    commenting = may_comment(user, risk)
    return {
        "risk": risk,
        "history": risk_history(user, risk),
        "comments": risk_comments(user, risk),
        "comment_form": forms.get("comment_form", CommentForm() if commenting else None),
        "is_staff": may_record_risks(user),
    }


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def risk_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _staff(request)
    risk = get_risk_for_user(request.user, pk, request=request) if pk is not None else Risk()
    initial = {}
    if pk is None and request.method == "GET":
        for name in ("partner", "project"):
            if request.GET.get(name, "").isdigit():
                initial[name] = request.GET[name]
    form = RiskForm(request.POST or None, instance=risk, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_save(actor=request.user, risk=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The risk is saved."))
            return redirect("risk-detail", pk=form.instance.pk)
    return render(request, "risks/risk_form.html", {"form": form, "risk": risk})


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def risk_reassess(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    risk = get_risk_for_user(request.user, pk, request=request)
    form = ReassessForm(
        request.POST or None, initial={"likelihood": risk.likelihood, "impact": risk.impact}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_reassess(
                actor=request.user,
                risk=risk,
                likelihood=form.cleaned_data["likelihood"],
                impact=form.cleaned_data["impact"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The reassessment is recorded."))
            return redirect("risk-detail", pk=risk.pk)
    return render(request, "risks/risk_reassess.html", {"form": form, "risk": risk})


def _bad_request(form: StatusForm | ShareForm | DialogueRiskForm) -> HttpResponse:
    reasons = "; ".join(str(error) for errors in form.errors.values() for error in errors)
    return HttpResponseBadRequest(
        _("The request was not understood: %(reasons)s") % {"reasons": reasons}
    )


@require_POST
@denied_as_not_found
def risk_status(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    risk = get_risk_for_user(request.user, pk, request=request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
    services.risk_set_status(actor=request.user, risk=risk, status=form.cleaned_data["status"])
    messages.success(
        request,
        _("The risk is closed.")
        if risk.status == Risk.Status.CLOSED
        else _("The risk is open again."),
    )
    return redirect("risk-detail", pk=risk.pk)


@require_POST
@denied_as_not_found
def risk_share(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    risk = get_risk_for_user(request.user, pk, request=request)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _bad_request(form)
    services.risk_share(actor=request.user, risk=risk, shared=form.cleaned_data["shared"])
    messages.success(
        request,
        _("The partner's users may now read this risk.")
        if risk.shared_with_partner
        else _("The risk is no longer shared with the partner."),
    )
    return redirect("risk-detail", pk=risk.pk)


@require_POST
@denied_as_not_found
def risk_comment(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    risk = get_risk_for_user(request.user, pk, request=request)
    if not may_comment(request.user, risk):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.risk_comment(actor=request.user, risk=risk, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect("risk-detail", pk=risk.pk)
    return render(
        request, "risks/risk_detail.html", _detail_context(request, risk, comment_form=form)
    )


@require_POST
@denied_as_not_found
def dialogue_risk_link(request: HttpRequest, dialogue_pk: int) -> HttpResponse:
    """Staff note which of the partner's risks a dialogue discussed (the form is on the
    dialogue's page)."""
    _staff(request)
    dialogue = get_dialogue_for_user(request.user, dialogue_pk, request=request)
    form = DialogueRiskForm(request.POST, user=request.user, dialogue=dialogue)
    if not form.is_valid():
        return _bad_request(form)
    services.risk_link_dialogue(
        actor=request.user, risk=form.cleaned_data["risk"], dialogue=dialogue
    )
    messages.success(request, _("The risk is noted as discussed in this dialogue."))
    return redirect("dialogue-detail", pk=dialogue.pk)
