from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
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
from programs.selectors import visible_programs, visible_projects
from progress import selectors as story_selectors
from progress.models import ChangeStory
from reporting.selectors import visible_story_counts


@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = visible_partners(request.user).order_by("name", "pk")
    filterset = PartnerFilter(request.GET, queryset=partners)
    page = paginate(request, filterset.qs)
    return render(request, "partners/partner_list.html", {"filter": filterset, "page": page})


@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = get_partner_for_user(user, pk, request=request)
    projects = visible_projects(user).filter(partner=partner).select_related("program")
    # Kept counts (progress.aggregates): a COUNT over a large partner's stories took 0.6 s.
    story_counts = (
        visible_story_counts(user)
        .filter(partner=partner)
        .aggregate(
            total=Coalesce(Sum("story_count"), 0),
            verified=Coalesce(
                Sum(
                    "story_count",
                    filter=Q(status__in=[ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED]),
                ),
                0,
            ),
            awaiting=Coalesce(Sum("story_count", filter=Q(status=ChangeStory.Status.SUBMITTED)), 0),
            returned=Coalesce(Sum("story_count", filter=Q(status=ChangeStory.Status.RETURNED)), 0),
        )
    )
    # Stories returned with a question wait for the partner: they lead its page, question and all.
    returned = (
        story_selectors.returned_stories(user, partner_id=partner.pk)
        if story_counts["returned"]
        else []
    )
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "contacts": visible_contacts(user).filter(partner=partner),
            "projects": projects,
            "networks": visible_networks(user).filter(partners=partner),
            "story_counts": story_counts,
            "returned": returned,
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
            "programs": visible_programs(user).filter(networks=network),
            "memberships": network.memberships.select_related("member_organisation").order_by(
                "member_organisation__name"
            ),
        },
    )
