"""The report for staff, officers and partners' own users."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from partners.selectors import (
    report_identifies_every_cell,
)
from portal import outbox
from reporting import disclosure
from reporting.models import ReportState
from reporting.reports.activity_sections import held_activity_sections
from reporting.reports.member import build_member_report
from reporting.reports.scope import Figures, Links, activity_cells, story_slices
from reporting.reports.shapes import Report
from reporting.reports.story_sections import (
    by_country,
    by_partner,
    by_programme,
    by_target_group,
    by_teller,
    significance,
    types_over_time,
)
from reporting.selectors import report_suppresses_small_cells

# --- The report -------------------------------------------------------------------------------


def build_report(
    user: Any,
    filters: Mapping[str, Any],
    query: Mapping[str, Any] | None = None,
    publication: disclosure.Publication | None = None,
    *,
    rollups: bool = True,
) -> Report:
    """The report for this viewer; ``query`` is the request's filter parameters, for links.

    A network member's report is built from ``publication`` when the form already computed it.
    """
    if report_suppresses_small_cells(user):
        return build_member_report(user, filters.get("period"), publication)
    slices = story_slices(user, filters, rollups=rollups)
    activities = activity_cells(user, filters)
    make = Figures()
    links = Links(filters)
    story_total = slices.stories.aggregate(n=Sum("story_count"))["n"]
    countries_section, regions_section = by_country(user, slices.stories, make, links)
    areas_section, programmes_section = by_programme(slices.stories, make, links)
    sections = [
        types_over_time(slices.typed, make, links),
        significance(slices.typed, make, links),
        countries_section,
        regions_section,
        areas_section,
        programmes_section,
        by_target_group(slices.grouped, make, links),
        by_teller(slices.stories, make, links),
        by_partner(user, slices.partnered, make, links),
    ]
    headline = [(_("verified stories"), make(story_total, links.stories()))]
    sections += held_activity_sections(user, activities, filters, make, links)
    held = activities.aggregate(
        n=Sum("activity_count"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
        other=Sum("participants_other"),
    )
    participants = sum(held[key] or 0 for key in ("women", "men", "other"))
    headline += [
        (_("activities held"), make(held["n"], links.activities())),
        (_("participants"), make(participants)),
        (_("of them women"), make(held["women"])),
    ]
    state = ReportState.objects.first()
    return Report(
        sections=sections,
        headline=headline,
        filters=dict(filters),
        figures_as_of=state.refreshed_at if state else None,
        refresh_pending=outbox.refresh_pending(),
        suppressed=False,
        pseudonymised=not report_identifies_every_cell(user),
        downloads=links.downloads(query or {}),
    )
