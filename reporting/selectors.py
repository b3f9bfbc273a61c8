"""Who reads which figures: the kept counts and aggregate cells behind dashboards, reports and
downloads, by role (DESIGN §4; the rules: ``portal.access``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from partners.selectors import visible_partners
from portal.access import (
    M,
    as_user,
    own_partner_id,
)
from progress.selectors import story_scope
from reporting.models import StoryAggregate, StoryStatusCount

if TYPE_CHECKING:
    from portal.access import AnyUser


def visible_story_counts(user: AnyUser) -> QuerySet[StoryStatusCount]:
    """The kept counts of the stories ``visible_stories`` would give, without counting them:
    the same rule (``story_scope``)."""
    scope = story_scope(user, quotable_field="quotable")
    counts = StoryStatusCount.objects.all()
    return counts.none() if scope is None else counts.filter(scope)


SMALL_CELL = 5  # a network member's figures: 1 to 4 shown as "<5", the rest rounded to fives


def visible_report_cells(user: AnyUser, cells: QuerySet[M]) -> QuerySet[M]:
    """The aggregate cells (story or activity) a viewer's reports and exports read.

    Staff read every cell, officers included: a confidential partner's figures count in their
    reports, but only under its pseudonym and region (``report_identifies``). A partner user
    reads its own organisation's cells, a network member those of its networks' partners that
    are not confidential, and of their stories only those it may read (verified, the teller
    agreed to be quoted): a member's figures count what its story list shows, nothing more.
    """
    viewer = as_user(user)
    if viewer is None:
        return cells.none()
    if viewer.is_portal_staff:
        return cells
    if viewer.is_partner_user:
        return cells.filter(partner_id=own_partner_id(viewer))
    if viewer.is_network_member:
        cells = cells.filter(partner__in=visible_partners(viewer).values("pk"))
        if cells.model is StoryAggregate:
            cells = cells.filter(quotable=True)
        return cells
    return cells.none()


def report_suppresses_small_cells(user: AnyUser) -> bool:
    viewer = as_user(user)
    return viewer is not None and viewer.is_network_member and not viewer.is_portal_staff
