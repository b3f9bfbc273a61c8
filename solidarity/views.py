"""The contributions ledger's pages (docs/contributions.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import denied_as_not_found, may_download
from portal.exports import download
from portal.forms import add_validation_error, posted
from portal.pagination import paginate
from solidarity import exports, imports, ledger, services
from solidarity.forms import (
    ContributionForm,
    ImportForm,
    LedgerFilterForm,
    MatchForm,
    NeedForm,
    OfferForm,
    ReportForm,
)
from solidarity.selectors import (
    filtered_contributions,
    get_contribution_for_user,
    get_need_for_user,
    visible_matches,
    visible_needs,
    visible_offers,
    waiting_reports,
)


def _may_keep(user: Any) -> bool:
    return bool(getattr(user, "is_portal_staff", False))


def _reader(user: Any) -> None:
    if not (_may_keep(user) or getattr(user, "is_network_member", False)):
        raise Http404


def _selection(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, filtered_contributions(request.user, data)


@require_GET
def contribution_list(request: HttpRequest) -> HttpResponse:
    """The ledger: what was given in a period, added up by kind, network, programme and month,
    the pledges expected to date against what they brought, and the rows themselves."""
    user = request.user
    _reader(user)
    form, rows = _selection(request)
    start, end = form.period()
    page = paginate(
        request,
        ledger.in_period(rows, start, end)
        .select_related("member_organisation", "network", "program")
        .order_by("-date", "-pk"),
    )
    return render(
        request,
        "solidarity/contribution_list.html",
        {
            "form": form,
            "ledger": ledger.ledger(rows, start, end, timezone.localdate()),
            "page": page,
            "waiting": waiting_reports(user)[:100],
            "may_keep": _may_keep(user),
            "may_report": getattr(user, "is_network_member", False),
            "may_download": may_download(user) or getattr(user, "is_network_member", False),
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def contribution_download(request: HttpRequest, fmt: str) -> Any:
    """The rows of the ledger page's selection, in the layout the import reads."""
    user = request.user
    _reader(user)
    form, rows = _selection(request)
    start, end = form.period()
    selected = ledger.in_period(rows, start, end)
    return download(
        request,
        fmt,
        form=form,
        filename="contributions",
        title=_("Contributions"),
        header=exports.COLUMNS,
        rows=exports.rows(selected),
        count=selected.count,
    )


def _form_page(request: HttpRequest, form: Any, heading: str, contribution: Any = None) -> Any:
    return render(
        request,
        "solidarity/contribution_form.html",
        {"form": form, "heading": heading, "contribution": contribution},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def contribution_create(request: HttpRequest) -> HttpResponse:
    if not _may_keep(request.user):
        raise Http404
    form = ContributionForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_save(
                actor=request.user, contribution=form.instance, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The contribution is recorded."))
            return redirect("contribution-list")
    return _form_page(request, form, _("Record a contribution"))


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_keep(request.user):
        raise Http404
    contribution = get_contribution_for_user(request.user, pk)
    form = ContributionForm(posted(request), instance=contribution, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_save(
                actor=request.user, contribution=form.instance, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The contribution is saved."))
            return redirect("contribution-list")
    return _form_page(request, form, _("Correct a contribution"), contribution)


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def contribution_report(request: HttpRequest) -> HttpResponse:
    """For a member organisation's users: report a workplace collection or a study circle."""
    if not getattr(request.user, "is_network_member", False):
        raise Http404
    form = ReportForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_report(actor=request.user, contribution=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("Thank you: staff will confirm it, and then it counts in the totals.")
            )
            return redirect("contribution-list")
    return _form_page(request, form, _("Report a collection or a study circle"))


@require_POST
@denied_as_not_found
def contribution_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_keep(request.user):
        raise PermissionDenied
    contribution = get_contribution_for_user(request.user, pk)
    confirm = request.POST.get("action") == "confirm"
    try:
        services.contribution_decide(actor=request.user, contribution=contribution, confirm=confirm)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Confirmed: it counts in the totals now.")
            if confirm
            else _("Declined: it counts nowhere, and the member sees it declined."),
        )
    return redirect(reverse("contribution-list") + "#waiting")


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def contribution_import(request: HttpRequest) -> HttpResponse:
    """Upload contributions in the download's layout: saved whole, or every bad row named."""
    if not _may_keep(request.user):
        raise Http404
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = imports.import_contributions(
                    actor=request.user,  # type: ignore[arg-type]
                    upload=form.cleaned_data["workbook"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
        if form.errors or (result is not None and result.problems):
            status = 400
    return render(
        request, "solidarity/import.html", {"form": form, "result": result}, status=status
    )


# --- Expertise (docs/contributions.md, "Expertise") ---------------------------------------


def _expertise_user(user: Any) -> bool:
    return any(
        getattr(user, flag, False)
        for flag in ("is_portal_staff", "is_partner_user", "is_network_member")
    )


@require_GET
def expertise(request: HttpRequest) -> HttpResponse:
    """Needs and offers: a partner's own needs; for a member organisation, the open needs of
    its networks' partners and its own offers; for staff, both, to match."""
    user = request.user
    if not _expertise_user(user):
        raise Http404
    needs = visible_needs(user).select_related("partner", "network").order_by("status", "-pk")
    return render(
        request,
        "solidarity/expertise.html",
        {
            "needs": needs[:200],
            "offers": visible_offers(user)
            .select_related("member_organisation")
            .order_by("status", "-pk")[:200],
            "matches": visible_matches(user)
            .select_related("need__partner", "offer__member_organisation")
            .order_by("-created_at")[:50],
            "may_match": _may_keep(user),
            "may_state": _may_keep(user) or getattr(user, "is_partner_user", False),
            "may_offer": _may_keep(user) or getattr(user, "is_network_member", False),
        },
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def need_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (_may_keep(user) or getattr(user, "is_partner_user", False)):
        raise Http404
    form = NeedForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_save(actor=user, need=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The need is stated; staff look for who can meet it."))
            return redirect("expertise")
    return _expertise_form(request, form, _("State a need for expertise"))


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def offer_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (_may_keep(user) or getattr(user, "is_network_member", False)):
        raise Http404
    form = OfferForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save(actor=user, offer=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Thank you: staff match it with a partner's need."))
            return redirect("expertise")
    return _expertise_form(request, form, _("Offer expertise"))


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def need_match(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff match a need with an offer: an item in this year's plan of both units."""
    user = request.user
    if not _may_keep(user):
        raise Http404
    need = get_need_for_user(user, pk)
    form = MatchForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.match_make(
                actor=user,
                need=need,
                offer=data["offer"],
                kind=data["kind"],
                activity_format=data["activity_format"],
                quarter=data["quarter"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Matched: the item is in both plans of this year."))
            return redirect("expertise")
    return render(
        request,
        "solidarity/need_match.html",
        {"form": form, "need": need},
        status=400 if form.errors else 200,
    )


def _expertise_form(request: HttpRequest, form: Any, heading: str) -> HttpResponse:
    return render(
        request,
        "solidarity/expertise_form.html",
        {"form": form, "heading": heading},
        status=400 if form.errors else 200,
    )
