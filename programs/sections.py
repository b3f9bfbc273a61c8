"""What programs adds to the pages of lower apps (``portal.sections``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from partners.models import Partner, SolidarityNetwork
from portal.sections import Section, register_section
from programs.selectors import (
    network_activity_figures,
    visible_activities,
    visible_programs,
    visible_projects,
)


def partner_projects(request: HttpRequest, partner: Partner) -> dict[str, Any]:
    projects = visible_projects(request.user).filter(partner=partner).select_related("program")
    return {"projects": projects}


LATEST_ACTIVITIES = 8


def partner_activities(request: HttpRequest, partner: Partner) -> dict[str, Any] | None:
    """The partner's latest held activities, for the page that prepares the next dialogue:
    for staff and the partner's own users (members read figures, not activity rows)."""
    user: Any = request.user
    own = getattr(user, "is_partner_user", False) and user.partner_id == partner.pk
    if not (getattr(user, "is_portal_staff", False) or own):
        return None
    activities = (
        visible_activities(request.user)
        # Its own, else its project's: the rule of the activity list and the aggregates.
        .filter(Q(partner=partner) | Q(partner__isnull=True, project__partner=partner))
        .order_by("-date", "-pk")[:LATEST_ACTIVITIES]
    )
    return {"activities": activities, "partner": partner}


def network_programs(request: HttpRequest, network: SolidarityNetwork) -> dict[str, Any]:
    return {"programs": visible_programs(request.user).filter(networks=network)}


def network_activities(request: HttpRequest, network: SolidarityNetwork) -> dict[str, Any]:
    """What the network's planned items brought in the last twelve months, in figures."""
    end = timezone.localdate()
    start = end - dt.timedelta(days=365)
    return {"figures": network_activity_figures(network, start, end), "start": start, "end": end}


def register() -> None:
    register_section(
        "partner-detail",
        Section(partner_projects, {"main": "programs/_partner_projects.html"}, order=10),
    )
    register_section(
        "partner-detail",
        Section(partner_activities, {"main": "programs/_partner_activities.html"}, order=50),
    )
    register_section(
        "network-detail",
        Section(network_programs, {"columns": "programs/_network_programs.html"}, order=10),
    )
    register_section(
        "network-detail",
        Section(network_activities, {"main": "programs/_network_activities.html"}, order=20),
    )
