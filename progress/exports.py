"""The rows of the story and figure downloads, read through the viewer's scope.

Stories come from ``access.visible_stories`` with the story list's filters, so a download holds
exactly the list the viewer was looking at. Figures come from the same aggregate cells as the
report, with the same rule for names: a confidential partner's row carries its pseudonym and
region unless the viewer may identify it. Neither download ever holds a storyteller, a contact
or a locality, and a narrative only where its teller agreed to be quoted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from partners.regions import Region
from portal import access
from programs.models import FocusArea
from progress import reports
from progress.models import ChangeStory, ChangeType, TargetGroup

CHUNK = 2000


def story_header() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Happened"),
        _("Country"),
        _("Partner"),
        _("Programme"),
        _("Project"),
        _("Types of change"),
        _("Target groups"),
        _("Who changed"),
        _("Positive or negative?"),
        _("Significance"),
        _("Why it matters"),
        _("Contribution of the support"),
        _("Told by"),
        _("How it was collected"),
        _("Language"),
        _("What happened"),
        _("Submitted"),
    ]


def story_rows(stories: QuerySet[ChangeStory]) -> Iterator[Sequence[Any]]:
    stories = stories.select_related("partner", "program", "project").prefetch_related(
        Prefetch("change_types", queryset=ChangeType.objects.order_by("ordering")),
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("ordering")),
    )
    no_consent = _("(the teller did not agree to be quoted)")
    for story in stories.iterator(chunk_size=CHUNK):
        yield [
            story.reference,
            story.title,
            story.get_status_display(),
            story.event_date,
            story.country.name if story.country else "",  # type: ignore[attr-defined]
            story.partner.name,
            story.program.title if story.program else "",
            story.project.title if story.project else "",
            "; ".join(str(change_type.name) for change_type in story.change_types.all()),
            "; ".join(str(group.name) for group in story.target_groups.all()),
            story.get_who_changed_display(),
            story.get_direction_display(),
            story.significance,
            story.significance_reason if story.consent_quote_internal else "",
            story.get_contribution_display(),
            story.get_submitter_role_display(),
            story.get_collection_mode_display(),
            story.language,
            story.narrative if story.consent_quote_internal else no_consent,
            story.created_at.date(),
        ]


def figure_header() -> list[str]:
    return [
        _("Counted"),
        _("Month"),
        _("Country"),
        _("Region"),
        _("Partner"),
        _("Programme"),
        _("Focus area"),
        _("Type of change"),
        _("Target group"),
        _("Told by"),
        _("Significance"),
        _("Stories"),
    ]


def figure_rows(user: Any, filters: Mapping[str, Any]) -> Iterator[Sequence[Any]]:
    """Every story cell in the viewer's scope, one row each, labelled as the report labels."""
    types = {change_type.pk: str(change_type.name) for change_type in ChangeType.objects.all()}
    groups = {group.pk: str(group.name) for group in TargetGroup.objects.all()}
    regions = dict(Region.choices)
    areas = dict(FocusArea.choices)
    tellers = dict(ChangeStory.SubmitterRole.choices)
    kinds = {
        "story": _("each story once"),
        "type": _("once per type of change"),
        "group": _("once per target group"),
    }
    cells = (
        reports.story_cells(user, filters)
        .values_list(
            "month",
            "country",
            "region",
            "partner_id",
            "partner__name",
            "partner__pseudonym",
            "partner__is_confidential",
            "program__title",
            "focus_area",
            "change_type_id",
            "target_group_id",
            "submitter_role",
            "significance",
            "story_count",
        )
        .order_by("month", "partner_id", "id")
    )
    for (
        month,
        country,
        region,
        partner_id,
        name,
        pseudonym,
        confidential,
        program,
        focus_area,
        change_type,
        target_group,
        teller,
        significance,
        stories,
    ) in cells.iterator(chunk_size=CHUNK):
        identified = access.report_identifies(
            user, partner_id=partner_id, is_confidential=confidential
        )
        kind = "type" if change_type else "group" if target_group else "story"
        yield [
            kinds[kind],
            month.strftime("%Y-%m"),
            str(countries.name(country)) if identified else "",
            str(regions.get(region, region)),
            name if identified else pseudonym,
            program or "",
            str(areas.get(focus_area, "")),
            types.get(change_type, ""),
            groups.get(target_group, ""),
            str(tellers.get(teller, teller)),
            significance,
            stories,
        ]
