"""What reporting adds to the pages of lower apps (``portal.sections``): the kept story counts,
and the stories returned to a partner with their questions, which lead its page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from partners.models import Partner, SolidarityNetwork
from portal.sections import Section, register_section
from programs.models import Project
from progress.models import ChangeStory
from progress.selectors import returned_stories, visible_stories
from reporting.selectors import visible_story_counts

Status = ChangeStory.Status


def partner_stories(request: HttpRequest, partner: Partner) -> dict[str, Any]:
    user = request.user
    # Kept counts: a COUNT over a large partner's stories took 0.6 s.
    counts = (
        visible_story_counts(user)
        .filter(partner=partner)
        .aggregate(
            total=Coalesce(Sum("story_count"), 0),
            verified=Coalesce(
                Sum("story_count", filter=Q(status__in=[Status.VERIFIED, Status.SELECTED])), 0
            ),
            awaiting=Coalesce(Sum("story_count", filter=Q(status=Status.SUBMITTED)), 0),
            returned=Coalesce(Sum("story_count", filter=Q(status=Status.RETURNED)), 0),
        )
    )
    # Stories returned with a question wait for the partner: they lead its page.
    returned = returned_stories(user, partner_id=partner.pk) if counts["returned"] else []
    return {"partner": partner, "story_counts": counts, "returned": returned}


NETWORK_STORIES = 5


def network_stories(request: HttpRequest, network: SolidarityNetwork) -> dict[str, Any]:
    """The latest verified stories of the network's partners the viewer may read (for a member
    organisation's users: those with consent to quote, never a confidential partner's)."""
    stories = (
        visible_stories(request.user)
        .filter(
            status__in=[Status.VERIFIED, Status.SELECTED],
            partner__in=network.partners.values("pk"),
        )
        .select_related("partner")
        .order_by("-event_date", "-pk")[:NETWORK_STORIES]
    )
    return {"stories": stories, "network": network}


def project_stories(request: HttpRequest, project: Project) -> dict[str, Any]:
    count = (
        visible_story_counts(request.user)
        .filter(project=project)
        .aggregate(n=Coalesce(Sum("story_count"), 0))["n"]
    )
    return {"story_count": count}


def register() -> None:
    register_section(
        "partner-detail",
        Section(
            partner_stories,
            {
                "lead": "reporting/_partner_returned.html",
                "main": "reporting/_partner_stories.html",
            },
            order=20,
        ),
    )
    register_section(
        "network-detail",
        Section(network_stories, {"main": "reporting/_network_stories.html"}, order=30),
    )
    register_section(
        "project-detail",
        Section(project_stories, {"facts": "reporting/_project_stories.html"}, order=20),
    )
