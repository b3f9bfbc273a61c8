"""The activity file as a viewer gets it: what the download serves and the check page checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from programs.selectors import visible_programs, visible_projects
from progress.selectors import visible_stories
from reporting.iati.build import PUBLISHABLE_STORY_STATUSES, build_activities
from reporting.iati.results import Source, load_framework
from results.models import Actual
from results.selectors import counted_actuals, visible_dimension_values, visible_indicators

if TYPE_CHECKING:
    from portal.access import AnyUser


def activity_file(
    user: AnyUser, *, sources: dict[etree._Element, Source] | None = None
) -> etree._ElementTree:
    """The file of every programme the viewer sees, with their non-confidential projects, their
    publishable stories and their results framework (approved figures only).

    Whatever the viewer may see, the file leaves out confidential partners, their projects and
    their stories: the querysets below leave them out, and ``build_activities`` again.
    """
    programs = visible_programs(user)
    projects = visible_projects(user).filter(partner__is_confidential=False)
    indicators = (
        visible_indicators(user)
        .filter(outcome__program__in=programs.values("pk"))
        .exclude(project__partner__is_confidential=True)
        .select_related("outcome")
        .order_by("outcome__ordering", "outcome_id", "ordering", "pk")
    )
    actuals = counted_actuals(user).filter(
        status=Actual.Status.APPROVED,
        project__in=projects.values("pk"),
        period__indicator__in=indicators.values("pk"),
    )
    return build_activities(
        programs=programs.prefetch_related("funders"),
        projects=projects.select_related("partner"),
        stories=visible_stories(user)
        .filter(
            partner__is_confidential=False,
            status__in=PUBLISHABLE_STORY_STATUSES,
            consent_publish=True,
        )
        .select_related("partner")
        .prefetch_related("change_types")
        .order_by("pk"),
        framework=load_framework(indicators, actuals, visible_dimension_values(user)),
        sources=sources,
    )
