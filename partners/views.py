from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import services
from partners.filters import PartnerFilter
from partners.models import MembershipRequest
from partners.selectors import (
    get_network_for_user,
    get_partner_for_user,
    joinable_networks,
    requestable_networks,
    unnamed_network_partners,
    visible_contacts,
    visible_membership_requests,
    visible_networks,
    visible_partners,
)
from portal.access import denied_as_not_found, get_or_404
from portal.pagination import paginate
from portal.sections import sections_for


@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = visible_partners(request.user).order_by("name", "pk")
    filterset = PartnerFilter(request.GET, queryset=partners)
    page = paginate(request, filterset.qs)
    return render(request, "partners/partner_list.html", {"filter": filterset, "page": page})


@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner's page; its projects, stories and figures are sections added by the apps
    that own them (``portal.sections``)."""
    user = request.user
    partner = get_partner_for_user(user, pk, request=request)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "contacts": visible_contacts(user).filter(partner=partner),
            "networks": visible_networks(user).filter(partners=partner),
            "sections": sections_for("partner-detail", request, partner),
        },
    )


@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    networks = visible_networks(request.user).annotate(
        member_count=Count("memberships", distinct=True)
    )
    return render(request, "partners/network_list.html", {"networks": networks})


@require_GET
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    network = get_network_for_user(user, pk)
    return render(
        request,
        "partners/network_detail.html",
        {
            "network": network,
            "partners": visible_partners(user).filter(networks=network),
            "unnamed": unnamed_network_partners(user, network),
            # Those who left are not members any more.
            "memberships": network.memberships.filter(left_on__isnull=True)
            .select_related("member_organisation")
            .order_by("member_organisation__name"),
            "sections": sections_for("network-detail", request, network),
        },
    )


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def network_join(request: HttpRequest) -> HttpResponse:
    """For a member organisation's users: the networks to ask to join, and their requests; a
    POST asks to join or to leave one (staff decide)."""
    user = request.user
    if not getattr(user, "is_network_member", False):
        raise Http404
    if request.method == "POST":
        network = get_or_404(requestable_networks(user), request.POST.get("network"))
        try:
            services.membership_ask(
                actor=user,
                network=network,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your request is sent; staff will answer it."))
        return redirect("network-join")
    requests = visible_membership_requests(user)
    return render(
        request,
        "partners/network_join.html",
        {
            "networks": joinable_networks(user).order_by("name"),
            "waiting": set(
                requests.filter(status=MembershipRequest.Status.PENDING).values_list(
                    "network_id", flat=True
                )
            ),
            "requests": requests.select_related("network").order_by("-created_at", "-pk")[:50],
        },
    )


@require_GET
def network_requests(request: HttpRequest) -> HttpResponse:
    """For staff: the member organisations' requests to join or leave networks that wait."""
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404
    waiting = (
        visible_membership_requests(request.user)
        .filter(status=MembershipRequest.Status.PENDING)
        .select_related("network", "member_organisation", "requested_by")
    )
    return render(request, "partners/network_requests.html", {"requests": waiting})


@require_POST
@denied_as_not_found
def network_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not getattr(request.user, "is_portal_staff", False):
        raise PermissionDenied
    asked = get_or_404(visible_membership_requests(request.user), pk)
    try:
        services.membership_decide(
            actor=request.user, request=asked, approve=request.POST.get("action") == "approve"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request is decided."))
    return redirect("network-requests")
