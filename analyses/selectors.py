"""Who may read which regional analyses (the rules: ``portal.access``).

Staff read them all, except that an analysis drawing on a confidential partner's records is for
cleared staff only (``cleared_only``). The partners of a region read the analyses of their region
that staff share with them and that are not for cleared staff only. Network members read none.
What an analysis links to is shown through the viewer's own selectors: a partner reading a shared
analysis meets only its own stories, and its own shared risks, among those it draws on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from analyses.models import RegionalAnalysis
from portal.access import as_user, get_or_404
from progress.models import ChangeStory
from progress.selectors import visible_stories
from risks.models import Risk
from risks.selectors import visible_risks

if TYPE_CHECKING:
    from portal.access import AnyUser


def visible_analyses(user: AnyUser) -> QuerySet[RegionalAnalysis]:
    analyses = RegionalAnalysis.objects.all()
    viewer = as_user(user)
    if viewer is None:
        return analyses.none()
    if viewer.sees_confidential:
        return analyses
    # Not for cleared staff only, and drawing on no confidential partner's records: a partner
    # made confidential after an analysis cited it is hidden at once, not at the next save.
    uncleared = (
        analyses.filter(cleared_only=False)
        .exclude(stories__partner__is_confidential=True)
        .exclude(risks__partner__is_confidential=True)
    )
    if viewer.is_portal_staff:
        return uncleared
    if viewer.is_partner_user and viewer.partner is not None:
        return uncleared.filter(shared_with_partners=True, region=viewer.partner.region)
    return analyses.none()


def get_analysis_for_user(user: AnyUser, pk: object) -> RegionalAnalysis:
    return get_or_404(visible_analyses(user), pk)


def linked_stories(user: AnyUser, analysis: RegionalAnalysis) -> QuerySet[ChangeStory]:
    """The stories the analysis draws on that this viewer may see."""
    return (
        visible_stories(user)
        .filter(analyses=analysis)
        .select_related("partner")
        .order_by("-event_date", "pk")
    )


def linked_risks(user: AnyUser, analysis: RegionalAnalysis) -> QuerySet[Risk]:
    """The risks the analysis draws on whose text this viewer may read."""
    return (
        visible_risks(user)
        .filter(analyses=analysis)
        .select_related("partner")
        .order_by("-likelihood", "-impact", "pk")
    )
