from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partners.filters import PartnerFilter
from partners.selectors import (
    get_network_for_user,
    get_partner_for_user,
    visible_contacts,
    visible_networks,
    visible_partners,
)
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
            "memberships": network.memberships.select_related("member_organisation").order_by(
                "member_organisation__name"
            ),
            "sections": sections_for("network-detail", request, network),
        },
    )
